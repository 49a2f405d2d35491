package tpe

import "math"

// gaussSum is a fast Gauss transform (Greengard and Strain, "The Fast Gauss
// Transform", SIAM J. Sci. Stat. Comput. 1991) in one dimension: it
// evaluates G(x) = sum_j c_j exp(-(x-mu_j)^2 / (2 sigma^2)) for kernels that
// share one bandwidth in time independent of how many kernels lie near x.
//
// In units t = x / (sqrt(2) sigma) a kernel is exp(-(t-s)^2). The kernels
// are grouped in boxes of width 1; with u = t - b (b the centre of s's box)
// and a = s - b in [-1/2, 1/2),
//
//	exp(-(t-s)^2) = exp(-u^2) sum_n H_n(u) a^n / n!
//
// (the generating function of the Hermite polynomials H_n), so a box is
// summarised by its moments A_n = sum_j c_j a_j^n / n!, and G(t) sums
// exp(-u^2) sum_n A_n H_n(u) over the boxes near t. With |a| <= 1/2, Cramer's
// inequality (|H_n(u)| exp(-u^2/2) <= 1.09 sqrt(2^n n!)) bounds the terms
// n >= fgtTerms by 1e-9 of the box's weight.
type gaussSum struct {
	scale  float64   // 1 / (sqrt(2) sigma)
	boxes  int       // boxes cover t in [0, boxes)
	mom    []float64 // [box*fgtTerms + n]
	used   []bool    // whether a box holds a kernel
	reach  int       // boxes farther than this from t's box are negligible
	active bool
}

const fgtTerms = 16

// invFact[n] is 1/n!.
var invFact = func() (f [fgtTerms]float64) {
	f[0] = 1
	for n := 1; n < fgtTerms; n++ {
		f[n] = f[n-1] / float64(n)
	}
	return f
}()

// build sets the transform to the kernels at sorted centres mus in [0,1]
// with coefficients cs and bandwidth sigma. Boxes farther from x than
// where a kernel of the largest total weight drops below floor are skipped.
func (g *gaussSum) build(mus, cs []float64, sigma, floor float64) {
	g.active = len(mus) > 0
	if !g.active {
		return
	}
	g.scale = 1 / (math.Sqrt2 * sigma)
	g.boxes = int(g.scale) + 2
	n := g.boxes * fgtTerms
	if cap(g.mom) < n {
		g.mom = make([]float64, n)
		g.used = make([]bool, g.boxes)
	}
	g.mom, g.used = g.mom[:n], g.used[:g.boxes]
	clear(g.mom)
	clear(g.used)
	total := 0.0
	for j, mu := range mus {
		t := mu * g.scale
		b := int(t)
		a := t - (float64(b) + 0.5)
		m := (*[fgtTerms]float64)(g.mom[b*fgtTerms:])
		g.used[b] = true
		c := cs[j]
		total += c
		// Two chains of powers (even and odd) halve the latency.
		a2 := a * a
		p0, p1 := c, c*a
		for k := 0; k < fgtTerms; k += 2 {
			m[k] += p0 * invFact[k]
			m[k+1] += p1 * invFact[k+1]
			p0 *= a2
			p1 *= a2
		}
	}
	// A kernel at distance d (in t units) contributes c exp(-d^2); a box
	// at distance D from t's box holds kernels at d >= D - 1.
	g.reach = 1
	if r := total / floor; r > 1 {
		g.reach = int(math.Ceil(math.Sqrt(math.Log(r)))) + 1
	}
}

// at evaluates the transform at x.
func (g *gaussSum) at(x float64) float64 {
	if !g.active {
		return 0
	}
	t := x * g.scale
	b0 := int(t)
	s := 0.0
	for b := max(b0-g.reach, 0); b <= min(b0+g.reach, g.boxes-1); b++ {
		if !g.used[b] {
			continue
		}
		u := t - (float64(b) + 0.5)
		m := (*[fgtTerms]float64)(g.mom[b*fgtTerms:])
		h0, h1 := 1.0, 2*u
		sum := m[0] + m[1]*h1
		for k := 1; k < fgtTerms-1; k++ {
			h0, h1 = h1, 2*u*h1-2*float64(k)*h0
			sum += m[k+1] * h1
		}
		s += sum * expNeg(-u*u)
	}
	return s
}
