package cmaes_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/morphml/morphml/core/optimizers/cmaes"
)

// run minimizes f with CMA for gens generations and returns the best value.
func run(t *testing.T, f func([]float64) float64, n, gens int, seed uint64) (float64, *cmaes.CMA) {
	t.Helper()
	mean := make([]float64, n)
	for i := range mean {
		mean[i] = 0.8
	}
	c, err := cmaes.NewCMA(mean, 0.2, 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	best := math.Inf(1)
	for range gens {
		xs := make([][]float64, c.PopulationSize())
		fs := make([]float64, len(xs))
		for i := range xs {
			xs[i] = c.Sample(rng)
			for _, v := range xs[i] {
				if v < 0 || v > 1 {
					t.Fatalf("sample %v outside the box", xs[i])
				}
			}
			fs[i] = f(xs[i])
			best = math.Min(best, fs[i])
		}
		if err := c.Update(xs, fs); err != nil {
			t.Fatal(err)
		}
	}
	return best, c
}

// On an ill-conditioned ellipsoid (condition number 1e6) CMA-ES adapts its
// covariance and converges; with the covariance frozen to the identity it
// would need orders of magnitude more generations.
func TestEllipsoid(t *testing.T) {
	const n = 6
	f := func(x []float64) float64 {
		s := 0.0
		for i, v := range x {
			s += math.Pow(1e6, float64(i)/(n-1)) * (v - 0.3) * (v - 0.3)
		}
		return s
	}
	best, c := run(t, f, n, 400, 1)
	if best > 1e-10 {
		t.Errorf("best %g after 400 generations, want < 1e-10", best)
	}
	for _, v := range c.Mean() {
		if math.Abs(v-0.3) > 1e-4 {
			t.Errorf("mean %v, want 0.3 everywhere", c.Mean())
			break
		}
	}
	if c.Generation() != 400 {
		t.Errorf("generation %d", c.Generation())
	}
}

// Rosenbrock's valley (shifted into the box) needs the covariance to turn.
func TestRosenbrock(t *testing.T) {
	f := func(x []float64) float64 {
		s := 0.0
		for i := 0; i+1 < len(x); i++ {
			a, b := 4*x[i]-2, 4*x[i+1]-2 // [-2, 2]; minimum at (1, ..., 1) -> 0.75
			s += 100*(b-a*a)*(b-a*a) + (1-a)*(1-a)
		}
		return s
	}
	best, _ := run(t, f, 4, 600, 2)
	if best > 1e-8 {
		t.Errorf("best %g after 600 generations, want < 1e-8", best)
	}
}

func TestNewCMAErrors(t *testing.T) {
	for _, c := range []struct {
		name      string
		mean      []float64
		sigma     float64
		lambda    int
		low, high float64
	}{
		{"no dimensions", nil, 0.1, 0, 0, 1},
		{"zero sigma", []float64{0.5}, 0, 0, 0, 1},
		{"population 1", []float64{0.5}, 0.1, 1, 0, 1},
		{"empty box", []float64{0.5}, 0.1, 0, 1, 1},
	} {
		if _, err := cmaes.NewCMA(c.mean, c.sigma, c.lambda, c.low, c.high); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	c, _ := cmaes.NewCMA([]float64{0.5, 0.5}, 0.1, 0, 0, 1)
	if err := c.Update([][]float64{{0.5, 0.5}}, []float64{1}); err == nil {
		t.Error("update with fewer than mu solutions: no error")
	}
}

func ExampleCMA() {
	c, _ := cmaes.NewCMA([]float64{0.9, 0.9}, 0.3, 0, 0, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		xs := make([][]float64, c.PopulationSize())
		fs := make([]float64, len(xs))
		for i := range xs {
			xs[i] = c.Sample(rng)
			fs[i] = (xs[i][0]-0.2)*(xs[i][0]-0.2) + (xs[i][1]-0.4)*(xs[i][1]-0.4)
		}
		c.Update(xs, fs)
	}
	m := c.Mean()
	fmt.Printf("%.3f %.3f\n", m[0], m[1])
	// Output: 0.200 0.400
}
