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
	// With lazy set, the moments of box b are a0 src0[b] + a1 src1[b]
	// (incr's two parts), combined when a box is first read: stamp[b] ==
	// cur once mom[b] holds them.
	lazy       bool
	src0, src1 []float64
	a0, a1     float64
	stamp      []uint32
	cur        uint32
}

// setBoxes sizes the moments and the flags for boxes boxes.
func (g *gaussSum) setBoxes(boxes int) {
	g.boxes = boxes
	n := boxes * fgtTerms
	if cap(g.mom) < n || cap(g.used) < boxes {
		g.mom = make([]float64, n)
		g.used = make([]bool, boxes)
	}
	g.mom, g.used = g.mom[:n], g.used[:boxes]
}

// setLazy makes the moments a0 src0 + a1 src1, combined box by box when
// read.
func (g *gaussSum) setLazy(src0, src1 []float64, a0, a1 float64) {
	g.lazy, g.src0, g.src1, g.a0, g.a1 = true, src0, src1, a0, a1
	if len(g.stamp) < g.boxes {
		g.stamp = make([]uint32, g.boxes)
	}
	g.cur++
	if g.cur == 0 { // wrapped: forget every stamp
		clear(g.stamp)
		g.cur = 1
	}
}

// box returns the moments of box b.
func (g *gaussSum) box(b int) *[fgtTerms]float64 {
	m := (*[fgtTerms]float64)(g.mom[b*fgtTerms:])
	if g.lazy && g.stamp[b] != g.cur {
		g.stamp[b] = g.cur
		s0 := (*[fgtTerms]float64)(g.src0[b*fgtTerms:])
		s1 := (*[fgtTerms]float64)(g.src1[b*fgtTerms:])
		for n := range m {
			m[n] = g.a0*s0[n] + g.a1*s1[n]
		}
	}
	return m
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
	g.lazy = false
	g.setBoxes(int(g.scale) + 2)
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
	return g.sum(t, max(b0-g.reach, 0), min(b0+g.reach, g.boxes-1), fgtTerms)
}

// sum adds the series of boxes lo to hi at t (x in box units), to their
// first terms (at most fgtTerms) terms. The boxes
// are taken two at a time, so that their Hermite recurrences (each a chain
// of dependent products) overlap, and exp(-u^2) steps from one box to the
// next by products.
func (g *gaussSum) sum(t float64, lo, hi, terms int) float64 {
	u := t - (float64(lo) + 0.5)
	// e = exp(-u^2) for the current box, q = exp(2u-1) steps it to the next
	// (u-1), and q shrinks by exp(-2) per box.
	e := expNeg(-u * u)
	q := math.Exp(2*u - 1)
	s := 0.0
	b := lo
	for ; b+1 <= hi; b += 2 {
		e1 := e * q
		q1 := q * expM2
		if g.used[b] || g.used[b+1] {
			u1 := u - 1
			m, n := g.box(b), g.box(b+1)
			h0, h1 := 1.0, 2*u
			k0, k1 := 1.0, 2*u1
			sa := m[0] + m[1]*h1
			sb := n[0] + n[1]*k1
			for k := 1; k < terms-1; k++ {
				fk := 2 * float64(k)
				h0, h1 = h1, 2*u*h1-fk*h0
				k0, k1 = k1, 2*u1*k1-fk*k0
				sa += m[k+1] * h1
				sb += n[k+1] * k1
			}
			s += sa*e + sb*e1
		}
		e = e1 * q1
		q = q1 * expM2
		u -= 2
	}
	if b <= hi && g.used[b] {
		m := g.box(b)
		h0, h1 := 1.0, 2*u
		sum := m[0] + m[1]*h1
		for k := 1; k < terms-1; k++ {
			h0, h1 = h1, 2*u*h1-2*float64(k)*h0
			sum += m[k+1] * h1
		}
		s += sum * e
	}
	return s
}

// expM2 is exp(-2).
var expM2 = math.Exp(-2)

// near sums the boxes within nearBoxes of x's to their first nearTerms
// terms: a lower bound of the transform, up to a relative 1e-2. The
// kernels there lie within (nearBoxes+1)/scale of x, so each contributes
// c exp(-(|u|+1/2)^2) >= c e^-9 (u <= nearBoxes+1/2, x's distance to the
// box's centre), and the terms from n = nearTerms on add at most
// 1.09 c exp(-u^2/2) sum_n (2^n n!)^(-1/2) < 1.8e-5 c exp(-u^2/2) (Cramer's
// inequality, as for fgtTerms): at most 6.3e-3 of the kernel.
func (g *gaussSum) near(x float64) float64 {
	if !g.active {
		return 0
	}
	t := x * g.scale
	b0 := int(t)
	return g.sum(t, max(b0-nearBoxes, 0), min(b0+nearBoxes, g.boxes-1), nearTerms)
}

// nearBoxes is how many boxes on each side of x's near sums: with 2, the
// bound of bestCandidate leaves about 5 of 24 candidates to evaluate in full
// on the 20-dimension benchmark (12 with 1, 5 with 3).
const nearBoxes = 2

// nearTerms is how many terms of each box's series near sums.
const nearTerms = 10
