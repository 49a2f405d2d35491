package smac_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/morphml/morphml/core/optimizers/opttest"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/optimizers/smac"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "smac", search.Options{"candidates": 50}) })
	t.Run("NoInterleaving", func(t *testing.T) {
		opttest.Conformance(t, "smac", search.Options{"candidates": 20, "random_fraction": 0, "n_startup_trials": 3, "trees": 3})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	mod := func(f func(*smac.Config)) smac.Config {
		c := smac.DefaultConfig()
		f(&c)
		return c
	}
	for _, c := range []struct {
		name string
		cfg  smac.Config
		ok   bool
	}{
		{"default", smac.DefaultConfig(), true},
		{"no incumbents", mod(func(c *smac.Config) { c.Incumbents = 0 }), true},
		{"one startup trial", mod(func(c *smac.Config) { c.StartupTrials = 1 }), false},
		{"no trees", mod(func(c *smac.Config) { c.Trees = 0 }), false},
		{"no candidates", mod(func(c *smac.Config) { c.Candidates = 0 }), false},
		{"negative incumbents", mod(func(c *smac.Config) { c.Incumbents = -1 }), false},
		{"fraction above 1", mod(func(c *smac.Config) { c.RandomFraction = 1.5 }), false},
		{"NaN xi", mod(func(c *smac.Config) { c.Xi = math.NaN() }), false},
	} {
		_, err := smac.New(sp, 1, c.cfg)
		if (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := smac.New(nil, 1, smac.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	f, _ := search.Lookup("smac")
	opts, _ := f.Resolve(search.Options{"trees": 20, "random_fraction": 0.5})
	o, err := f.New(sp, 1, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := smac.DefaultConfig()
	want.Trees, want.RandomFraction = 20, 0.5
	if got := o.(*smac.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
}

// With RandomFraction 1 every ask is a random draw: the same points as
// random search would ask with the same unseen-point rule, whatever the
// results.
func TestRandomInterleaving(t *testing.T) {
	sp, f, _, _ := opttest.Separable(4, 4)
	cfg := smac.DefaultConfig()
	cfg.RandomFraction = 1
	run := func(f opttest.Objective) []opttest.Ask {
		o, _ := smac.New(sp, 2, cfg)
		_, asks, err := opttest.RunParallel(o, sp, nil, f, 30, 1)
		if err != nil {
			t.Fatal(err)
		}
		return asks
	}
	a := run(f)
	b := run(func(p space.Point) (float64, bool) { v, _ := f(p); return -v, true })
	for i := range a {
		if !a[i].Point.Equal(b[i].Point) {
			t.Fatalf("ask %d depends on the results although every ask is random", i)
		}
	}
}

// A discrete separable problem: the forest
// finds the optimum of 15,625 points within 150 trials for most seeds;
// random search almost never does.
func TestSeparable(t *testing.T) {
	sp, f, best, _ := opttest.Separable(6, 5)
	const seeds = 5
	hits, err := opttest.Hits("smac", search.Options{"candidates": 100}, sp, f, best, 150, seeds)
	if err != nil {
		t.Fatal(err)
	}
	rnd, _ := opttest.Hits("random", nil, sp, f, best, 150, seeds)
	t.Logf("optimum found by %d of %d seeds (random %d)", hits, seeds, rnd)
	if hits < 4 || rnd > 1 {
		t.Errorf("optimum found by %d of %d seeds (random %d), want >= 4 (random <= 1)", hits, seeds, rnd)
	}
}

// On a smooth 4-D problem with a log-scaled and an integer parameter,
// SMAC beats random search clearly after 80 trials.
func TestMixedContinuous(t *testing.T) {
	sp := &space.Space{Name: "mixed", Params: []space.Param{
		space.NewFloat("x", -3, 3, false), space.NewFloat("lr", 1e-5, 1, true),
		space.NewInt("n", 1, 50, false), space.NewCategorical("c", "a", "b", "c"),
	}}
	f := func(p space.Point) (float64, bool) {
		v := (p[0]-1)*(p[0]-1) + math.Pow(math.Log10(p[1])+3, 2) + math.Abs(p[2]-20)/10
		if p[3] != 1 {
			v += 1
		}
		return v, true
	}
	dirs := []search.Direction{search.Minimize}
	mean := func(name string) float64 {
		s := 0.0
		for seed := int64(1); seed <= 5; seed++ {
			o, _ := search.NewOptimizer(name, sp, seed, search.Options{})
			trials, err := opttest.Run(o, sp, dirs, f, 80)
			if err != nil {
				t.Fatal(err)
			}
			s += opttest.BestValue(trials, dirs) / 5
		}
		return s
	}
	got, rnd := mean("smac"), mean("random")
	t.Logf("mean best after 80 trials: smac %.3f, random %.3f", got, rnd)
	if got > 0.5*rnd {
		t.Errorf("smac %.3f, want below half of random's %.3f", got, rnd)
	}
}

func Example() {
	sp, f, best, _ := opttest.Separable(6, 5)
	opt, err := smac.New(sp, 1, smac.DefaultConfig())
	if err != nil {
		panic(err)
	}
	trials, _ := opttest.Run(opt, sp, nil, f, 150)
	found := false
	for _, t := range trials {
		found = found || t.Params.Equal(best)
	}
	fmt.Println(len(trials), found)
	// Output: 150 true
}
