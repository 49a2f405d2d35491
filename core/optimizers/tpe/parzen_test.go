package tpe

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestExpNeg(t *testing.T) {
	for y := -699.0; y <= 0; y += 0.0137 {
		want := math.Exp(y)
		if got := expNeg(y); math.Abs(got-want) > 1e-15*want {
			t.Fatalf("expNeg(%v) = %v, want %v", y, got, want)
		}
	}
	if expNeg(-800) != 0 {
		t.Error("expNeg(-800) is not 0")
	}
}

// Optuna's default_weights: ones up to 25, then a ramp from 1/n to 1 over
// the n-25 oldest (numpy.linspace, endpoint included) and ones.
func TestRampWeights(t *testing.T) {
	var buf []float64
	for _, c := range []struct {
		n    int
		head []float64
	}{
		{0, nil},
		{3, []float64{1, 1, 1}},
		{25, []float64{1, 1}},
		{26, []float64{1.0 / 26, 1}},
		{30, []float64{1.0 / 30, 1.0/30 + (1-1.0/30)/4, 1.0/30 + 2*(1-1.0/30)/4, 1.0/30 + 3*(1-1.0/30)/4, 1, 1}},
	} {
		w := rampWeights(c.n, &buf)
		if len(w) != c.n {
			t.Fatalf("n=%d: %d weights", c.n, len(w))
		}
		for i, want := range c.head {
			if math.Abs(w[i]-want) > 1e-15 {
				t.Errorf("n=%d: weight %d = %v, want %v", c.n, i, w[i], want)
			}
		}
		for i := max(c.n-25, 0); i < c.n; i++ {
			if w[i] != 1 {
				t.Errorf("n=%d: weight %d of the 25 newest = %v, want 1", c.n, i, w[i])
			}
		}
	}
}

// Bandwidths as Optuna computes them (consider_endpoints=False, magic clip).
func TestSigmas(t *testing.T) {
	var buf []float64
	for _, c := range []struct {
		name      string
		mus, want []float64
	}{
		{"one centre: the larger gap to an end", []float64{0.3}, []float64{0.7}},
		{"two: the gap between them", []float64{0.2, 0.6}, []float64{0.4, 0.4}},
		{"three (the last clipped to 1/4)", []float64{0.1, 0.5, 0.6}, []float64{0.4, 0.4, 0.25}},
		{"clipped below at 1/(n+1)", []float64{0.5, 0.51, 0.52}, []float64{0.25, 0.25, 0.25}},
	} {
		got := sigmas(c.mus, &buf)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("%s: sigmas(%v) = %v, want %v", c.name, c.mus, got, c.want)
				break
			}
		}
	}
}

// A mixture is a density on [0,1]: it integrates to 1, whatever the
// windows and the fast Gauss transform skip.
func TestMixtureIntegratesToOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 5, 40, 300, 3000} {
		mus := make([]float64, n)
		ws := make([]float64, n)
		for i := range mus {
			mus[i] = math.Min(math.Abs(0.3+0.15*rng.NormFloat64()), 1)
			ws[i] = 0.1 + rng.Float64()
		}
		sortPairs(mus, ws)
		var m mixture
		var buf []float64
		m.build(mus, ws, 1, &buf)
		const steps = 50000
		sum := 0.0
		for k := range steps {
			sum += m.pdf((float64(k) + 0.5) / steps)
		}
		if got := sum / steps; math.Abs(got-1) > 1e-3 {
			t.Errorf("n=%d: integral %v, want 1", n, got)
		}
	}
}

// The windows and the fast Gauss transform agree with the direct sum over
// every kernel to the tolerance.
func TestMixtureMatchesDirectSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{10, 100, 1000, 5000} {
		mus := make([]float64, n)
		ws := make([]float64, n)
		for i := range mus {
			if i%3 == 0 {
				mus[i] = rng.Float64()
			} else {
				mus[i] = math.Min(math.Abs(0.7+0.05*rng.NormFloat64()), 1)
			}
			ws[i] = 0.01 + rng.Float64()
		}
		sortPairs(mus, ws)
		var m mixture
		var buf []float64
		m.build(mus, ws, 1, &buf)
		sig := sigmas(mus, &buf)
		total := 1.0
		for _, w := range ws {
			total += w
		}
		for range 200 {
			x := rng.Float64()
			want := (1 / total) * math.Exp(-0.5*(x-0.5)*(x-0.5)) / (priorMass * sqrt2pi)
			for i, mu := range mus {
				d := (x - mu) / sig[i]
				want += ws[i] / total * math.Exp(-0.5*d*d) / (sig[i] * truncMass(mu, sig[i]) * sqrt2pi)
			}
			if got := m.pdf(x); math.Abs(got-want) > 1e-8*want {
				t.Fatalf("n=%d: pdf(%v) = %v, direct sum %v (rel. error %.2g)", n, x, got, want, math.Abs(got-want)/want)
			}
		}
	}
}

func sortPairs(v, w []float64) {
	p := pairs{v, w}
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && p.Less(j, j-1); j-- {
			p.Swap(j, j-1)
		}
	}
}

// pdfLower bounds pdf from below (within its stated relative error), with
// and without the fast Gauss transform, and bestCandidate picks what the
// plain loop over the candidates picks.
func TestLowerBoundAndBestCandidate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{5, 40, 300, 3000} {
		mix := func(centre, spread float64, n int) ([]float64, []float64) {
			mus, ws := make([]float64, n), make([]float64, n)
			for i := range mus {
				mus[i] = math.Min(math.Abs(centre+spread*rng.NormFloat64()), 1)
				ws[i] = 0.05 + rng.Float64()
			}
			sortPairs(mus, ws)
			return mus, ws
		}
		o := &Optimizer{cfg: DefaultConfig()}
		var buf []float64
		gm, gw := mix(0.3, 0.1, 25)
		var good mixture
		good.sampling = true
		good.build(gm, gw, 1, &buf)
		bm, bw := mix(0.5, 0.2, n)
		o.w.bad.build(bm, bw, 1, &buf)
		for range 2000 {
			x := rng.Float64()
			if lo, p := o.w.bad.pdfLower(x), o.w.bad.pdf(x); !(lo*(1-2e-2) <= p) {
				t.Fatalf("n=%d: pdfLower(%v) = %v above pdf %v", n, x, lo, p)
			}
		}
		for seed := range uint64(200) {
			plain := rand.New(rand.NewPCG(seed, 1))
			best, bestScore := 0.5, math.Inf(-1)
			for range o.cfg.EICandidates {
				x := good.sample(plain)
				if s := math.Log(good.pdf(x)) - math.Log(o.w.bad.pdf(x)); s > bestScore {
					best, bestScore = x, s
				}
			}
			if got := o.bestCandidate(&good, rand.New(rand.NewPCG(seed, 1))); got != best {
				t.Fatalf("n=%d seed %d: bestCandidate %v, the plain loop %v", n, seed, got, best)
			}
		}
	}
}
