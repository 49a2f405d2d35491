package anneal_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/morphml/morphml/core/optimizers/anneal"
	"github.com/morphml/morphml/core/optimizers/opttest"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "anneal", nil) })
	t.Run("Hot", func(t *testing.T) {
		opttest.Conformance(t, "anneal", search.Options{"t0": 10, "cooling": 1, "initial": 1})
	})
	t.Run("Greedy", func(t *testing.T) { opttest.Conformance(t, "anneal", search.Options{"t0": 0}) })
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	for _, c := range []struct {
		name string
		cfg  anneal.Config
		ok   bool
	}{
		{"default", anneal.DefaultConfig(), true},
		{"greedy", anneal.Config{Initial: 1, T0: 0, Cooling: 1}, true},
		{"no initial", anneal.Config{Initial: 0, T0: 1, Cooling: 0.9}, false},
		{"negative t0", anneal.Config{Initial: 1, T0: -1, Cooling: 0.9}, false},
		{"NaN t0", anneal.Config{Initial: 1, T0: math.NaN(), Cooling: 0.9}, false},
		{"cooling 0", anneal.Config{Initial: 1, T0: 1, Cooling: 0}, false},
		{"heating", anneal.Config{Initial: 1, T0: 1, Cooling: 1.1}, false},
	} {
		if _, err := anneal.New(sp, 1, c.cfg); (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := anneal.New(nil, 1, anneal.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	o, err := search.NewOptimizer("anneal", sp, 1, search.Options{"t0": 2})
	if err != nil {
		t.Fatal(err)
	}
	want := anneal.Config{Initial: anneal.DefaultInitial, T0: 2, Cooling: anneal.DefaultCooling}
	if got := o.(*anneal.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
	if got := want.Temperature(anneal.DefaultInitial + 2); math.Abs(got-2*want.Cooling*want.Cooling) > 1e-12 {
		t.Errorf("temperature two trials in: %v", got)
	}
}

// The chain: a better proposal is always accepted, a failed one never, and
// at zero temperature a worse one never; every proposal is one mutation
// away from the point the chain stood on when it was asked.
func TestChain(t *testing.T) {
	sp, f, _, _ := opttest.Separable(6, 5)
	o, _ := anneal.New(sp, 4, anneal.Config{Initial: 5, T0: 0, Cooling: 1})
	_, asks, err := opttest.RunParallel(o, sp, nil, f, 80, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := 5; i < len(asks); i++ {
		h := asks[i].History
		cur, _ := o.Current(&h)
		if d := hamming(cur.Params, asks[i].Point); d != 1 && d != 2 {
			t.Errorf("ask %d = %v is %d changes away from the current point %v", i, asks[i].Point, d, cur.Params)
		}
		best, _ := h.Best()
		if h.Score(cur) != h.Score(best) {
			t.Errorf("ask %d: greedy chain stands on %v (%.3f), the best so far is %.3f", i, cur.Params, h.Score(cur), h.Score(best))
		}
	}
}

// At a high temperature the chain accepts worse points, at zero never.
func TestTemperatureMatters(t *testing.T) {
	sp, f, _, _ := opttest.Separable(6, 5)
	worse := func(cfg anneal.Config) int {
		o, _ := anneal.New(sp, 2, cfg)
		_, asks, err := opttest.RunParallel(o, sp, nil, f, 100, 1)
		if err != nil {
			t.Fatal(err)
		}
		n, prev := 0, math.Inf(-1)
		for _, a := range asks {
			h := a.History
			if cur, ok := o.Current(&h); ok {
				if s := h.Score(cur); s < prev {
					n++
				}
				prev = h.Score(cur)
			}
		}
		return n
	}
	if n := worse(anneal.Config{Initial: 5, T0: 0, Cooling: 1}); n != 0 {
		t.Errorf("zero temperature: the chain moved to a worse point %d times", n)
	}
	if n := worse(anneal.Config{Initial: 5, T0: 5, Cooling: 1}); n < 10 {
		t.Errorf("high temperature: the chain moved to a worse point only %d times", n)
	}
}

func hamming(a, b space.Point) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// A discrete problem with a known optimum (15,625 points): annealing finds
// it within 300 trials for most seeds; random search almost never does.
func TestFindsDiscreteOptimum(t *testing.T) {
	sp, f, best, _ := opttest.Separable(6, 5)
	const budget, seeds = 300, 20
	hits, err := opttest.Hits("anneal", nil, sp, f, best, budget, seeds)
	if err != nil {
		t.Fatal(err)
	}
	if hits < 15 {
		t.Errorf("optimum found by %d of %d seeds, want >= 15", hits, seeds)
	}
}

// A continuous problem with a known optimum: the maximum of
// -(x-0.3)² - (log10 y + 2)² on [0,1] × [1e-4, 1] (log scale) is 0 at
// (0.3, 0.01).
func TestContinuousOptimum(t *testing.T) {
	sp := &space.Space{Name: "bowl", Params: []space.Param{
		space.NewFloat("x", 0, 1, false), space.NewFloat("y", 1e-4, 1, true)}}
	f := func(p space.Point) (float64, bool) {
		return -(p[0]-0.3)*(p[0]-0.3) - (math.Log10(p[1])+2)*(math.Log10(p[1])+2), true
	}
	var sum float64
	const seeds = 10
	for seed := range seeds {
		o, _ := anneal.New(sp, int64(seed), anneal.DefaultConfig())
		trials, err := opttest.Run(o, sp, nil, f, 300)
		if err != nil {
			t.Fatal(err)
		}
		sum += opttest.BestValue(trials, nil)
	}
	// Random search: -0.005 on the same seeds.
	if mean := sum / seeds; mean < -1e-3 {
		t.Errorf("mean best value %.5f over %d seeds, want > -0.001 (optimum 0)", mean, seeds)
	}
}

// On NAS-Bench-201 annealing's pick beats random search's on what both
// see (validation accuracy); the full 100-run check also checks the final
// test accuracy.
func TestNB201(t *testing.T) { opttest.NB201BeatsRandom(t, "anneal") }

func Example() {
	sp, f, best, _ := opttest.Separable(6, 5)
	opt, err := anneal.New(sp, 1, anneal.DefaultConfig())
	if err != nil {
		panic(err)
	}
	trials, _ := opttest.Run(opt, sp, nil, f, 300)
	found := false
	for _, t := range trials {
		found = found || t.Params.Equal(best)
	}
	fmt.Println(len(trials), found)
	// Output: 300 true
}
