package cmaes

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// CMA is the covariance matrix adaptation evolution strategy (Hansen, "The
// CMA Evolution Strategy: A Tutorial", arXiv:1604.00772, with its default
// parameters) on its own, free of MorphML's types: Sample draws candidate
// solutions, Update takes a generation's solutions with their values (lower
// is better) and adapts the mean, the step size and the covariance.
// Solutions are kept inside the box [Low, High]^n by resampling.
type CMA struct {
	n         int
	lambda    int
	mu        int
	weights   []float64
	muEff     float64
	cs, ds    float64
	cc, c1    float64
	cmu       float64
	chiN      float64
	low, high float64

	mean  []float64
	sigma float64
	c     *mat.SymDense
	b     *mat.Dense // eigenvectors of c
	d     []float64  // square roots of its eigenvalues
	ps    []float64
	pc    []float64
	gen   int
}

// NewCMA starts a CMA-ES at mean with step size sigma and population size
// lambda (0: the default 4 + floor(3 ln n)), searching the box [low,
// high]^n.
func NewCMA(mean []float64, sigma float64, lambda int, low, high float64) (*CMA, error) {
	n := len(mean)
	switch {
	case n == 0:
		return nil, fmt.Errorf("cmaes: no dimensions")
	case !(sigma > 0):
		return nil, fmt.Errorf("cmaes: step size %v is not positive", sigma)
	case !(low < high):
		return nil, fmt.Errorf("cmaes: empty box [%v, %v]", low, high)
	}
	if lambda == 0 {
		lambda = 4 + int(3*math.Log(float64(n)))
	}
	if lambda < 2 {
		return nil, fmt.Errorf("cmaes: population size %d < 2", lambda)
	}
	c := &CMA{n: n, lambda: lambda, mu: lambda / 2, low: low, high: high, sigma: sigma,
		mean: append([]float64(nil), mean...), ps: make([]float64, n), pc: make([]float64, n)}
	sum := 0.0
	for i := range c.mu {
		w := math.Log(float64(lambda+1)/2) - math.Log(float64(i+1))
		c.weights = append(c.weights, w)
		sum += w
	}
	sq := 0.0
	for i := range c.weights {
		c.weights[i] /= sum
		sq += c.weights[i] * c.weights[i]
	}
	c.muEff = 1 / sq
	fn := float64(n)
	c.cs = (c.muEff + 2) / (fn + c.muEff + 5)
	c.ds = 1 + 2*math.Max(0, math.Sqrt((c.muEff-1)/(fn+1))-1) + c.cs
	c.cc = (4 + c.muEff/fn) / (fn + 4 + 2*c.muEff/fn)
	c.c1 = 2 / ((fn+1.3)*(fn+1.3) + c.muEff)
	c.cmu = math.Min(1-c.c1, 2*(c.muEff-2+1/c.muEff)/((fn+2)*(fn+2)+c.muEff))
	c.chiN = math.Sqrt(fn) * (1 - 1/(4*fn) + 1/(21*fn*fn))
	c.c = mat.NewSymDense(n, nil)
	c.b = mat.NewDense(n, n, nil)
	c.d = make([]float64, n)
	for i := range n {
		c.c.SetSym(i, i, 1)
		c.b.Set(i, i, 1)
		c.d[i] = 1
	}
	return c, nil
}

// PopulationSize is lambda: the solutions of one generation.
func (c *CMA) PopulationSize() int { return c.lambda }

// Generation is the number of updates so far.
func (c *CMA) Generation() int { return c.gen }

// Mean is the current mean (a copy).
func (c *CMA) Mean() []float64 { return append([]float64(nil), c.mean...) }

// Sigma is the current step size.
func (c *CMA) Sigma() float64 { return c.sigma }

// Sample draws a solution from N(mean, sigma^2 C), drawing again (up to 100
// times) while it falls outside the box, then clipping.
func (c *CMA) Sample(rng *rand.Rand) []float64 {
	x := make([]float64, c.n)
	z := make([]float64, c.n)
	for try := 0; ; try++ {
		for i := range z {
			z[i] = rng.NormFloat64() * c.d[i]
		}
		inside := true
		for i := range x {
			v := c.mean[i]
			for j := range z {
				v += c.sigma * c.b.At(i, j) * z[j]
			}
			x[i] = v
			inside = inside && v >= c.low && v <= c.high
		}
		if inside {
			return x
		}
		if try == 99 {
			for i := range x {
				x[i] = math.Min(math.Max(x[i], c.low), c.high)
			}
			return x
		}
	}
}

// Update adapts the distribution to one generation: xs are solutions (at
// least mu = lambda/2 of them, normally lambda) and fs their values, lower
// is better; NaN counts as the worst. Ties keep the order of xs.
func (c *CMA) Update(xs [][]float64, fs []float64) error {
	if len(xs) != len(fs) || len(xs) < c.mu {
		return fmt.Errorf("cmaes: update with %d solutions and %d values (want equal, at least %d)", len(xs), len(fs), c.mu)
	}
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	key := func(i int) float64 {
		if math.IsNaN(fs[i]) {
			return math.Inf(1)
		}
		return fs[i]
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) < key(idx[b]) })
	n := c.n
	// y_i = (x_i - m) / sigma for the mu best; yw their weighted mean.
	ys := make([][]float64, c.mu)
	yw := make([]float64, n)
	for k := range c.mu {
		x := xs[idx[k]]
		if len(x) != n {
			return fmt.Errorf("cmaes: solution of %d values, want %d", len(x), n)
		}
		y := make([]float64, n)
		for i := range y {
			y[i] = (x[i] - c.mean[i]) / c.sigma
			yw[i] += c.weights[k] * y[i]
		}
		ys[k] = y
	}
	for i := range c.mean {
		c.mean[i] += c.sigma * yw[i]
	}
	// C^-1/2 yw = B D^-1 B^T yw.
	bt := make([]float64, n)
	for j := range n {
		for i := range n {
			bt[j] += c.b.At(i, j) * yw[i]
		}
		bt[j] /= c.d[j]
	}
	norm := 0.0
	for i := range n {
		v := 0.0
		for j := range n {
			v += c.b.At(i, j) * bt[j]
		}
		c.ps[i] = (1-c.cs)*c.ps[i] + math.Sqrt(c.cs*(2-c.cs)*c.muEff)*v
		norm += c.ps[i] * c.ps[i]
	}
	norm = math.Sqrt(norm)
	c.gen++
	hs := 0.0
	if norm/math.Sqrt(1-math.Pow(1-c.cs, 2*float64(c.gen))) < (1.4+2/(float64(n)+1))*c.chiN {
		hs = 1
	}
	for i := range n {
		c.pc[i] = (1-c.cc)*c.pc[i] + hs*math.Sqrt(c.cc*(2-c.cc)*c.muEff)*yw[i]
	}
	decay := 1 - c.c1 - c.cmu + (1-hs)*c.c1*c.cc*(2-c.cc)
	for i := range n {
		for j := 0; j <= i; j++ {
			v := decay*c.c.At(i, j) + c.c1*c.pc[i]*c.pc[j]
			for k, y := range ys {
				v += c.cmu * c.weights[k] * y[i] * y[j]
			}
			c.c.SetSym(i, j, v)
		}
	}
	c.sigma *= math.Exp((c.cs / c.ds) * (norm/c.chiN - 1))
	c.sigma = math.Min(c.sigma, 1e6)
	return c.decompose()
}

// decompose refreshes B and D from C.
func (c *CMA) decompose() error {
	var eig mat.EigenSym
	if !eig.Factorize(c.c, true) {
		return fmt.Errorf("cmaes: eigendecomposition of the covariance failed at generation %d", c.gen)
	}
	vals := eig.Values(nil)
	eig.VectorsTo(c.b)
	for i, v := range vals {
		c.d[i] = math.Sqrt(math.Max(v, 1e-20))
	}
	return nil
}
