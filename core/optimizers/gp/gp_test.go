package gp_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/morphml/morphml/core/optimizers/gp"
	"github.com/morphml/morphml/core/optimizers/opttest"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "gp", search.Options{"candidates": 50, "restarts": 0}) })
	t.Run("UCB", func(t *testing.T) {
		opttest.Conformance(t, "gp", search.Options{"acquisition": 1, "n_startup_trials": 3, "candidates": 30, "max_train": 10})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	mod := func(f func(*gp.Config)) gp.Config {
		c := gp.DefaultConfig()
		f(&c)
		return c
	}
	for _, c := range []struct {
		name string
		cfg  gp.Config
		ok   bool
	}{
		{"default", gp.DefaultConfig(), true},
		{"ucb", mod(func(c *gp.Config) { c.Acquisition = gp.UCB; c.Beta = 0 }), true},
		{"one startup trial", mod(func(c *gp.Config) { c.StartupTrials = 1 }), false},
		{"bad acquisition", mod(func(c *gp.Config) { c.Acquisition = 5 }), false},
		{"negative beta", mod(func(c *gp.Config) { c.Beta = -1 }), false},
		{"no candidates", mod(func(c *gp.Config) { c.Candidates = 0 }), false},
		{"max train 1", mod(func(c *gp.Config) { c.MaxTrain = 1 }), false},
		{"negative restarts", mod(func(c *gp.Config) { c.Restarts = -1 }), false},
		{"NaN growth", mod(func(c *gp.Config) { c.RefitGrowth = math.NaN() }), false},
	} {
		_, err := gp.New(sp, 1, c.cfg)
		if (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := gp.New(nil, 1, gp.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	f, _ := search.Lookup("gp")
	opts, _ := f.Resolve(search.Options{"acquisition": 1, "beta": 3})
	o, err := f.New(sp, 1, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := gp.DefaultConfig()
	want.Acquisition, want.Beta = gp.UCB, 3
	if got := o.(*gp.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
	if gp.EI.String() != "ei" || gp.UCB.String() != "ucb" {
		t.Error("acquisition names")
	}
}

// branin is the Branin-Hoo function on [-5, 10] x [0, 15]; its minimum,
// 0.397887, is reached at (-pi, 12.275), (pi, 2.275) and (9.42478, 2.475).
func branin() (*space.Space, opttest.Objective) {
	sp := &space.Space{Name: "branin", Params: []space.Param{
		space.NewFloat("x1", -5, 10, false), space.NewFloat("x2", 0, 15, false),
	}}
	f := func(p space.Point) (float64, bool) {
		x1, x2 := p[0], p[1]
		b, c := 5.1/(4*math.Pi*math.Pi), 5/math.Pi
		return math.Pow(x2-b*x1*x1+c*x1-6, 2) + 10*(1-1/(8*math.Pi))*math.Cos(x1) + 10, true
	}
	return sp, f
}

const braninMin = 0.397887

func meanBest(t *testing.T, name string, opts search.Options, sp *space.Space, f opttest.Objective, budget, seeds int) float64 {
	t.Helper()
	dirs := []search.Direction{search.Minimize}
	sum := 0.0
	for seed := 1; seed <= seeds; seed++ {
		o, err := search.NewOptimizer(name, sp, int64(seed), opts)
		if err != nil {
			t.Fatal(err)
		}
		trials, err := opttest.Run(o, sp, dirs, f, budget)
		if err != nil {
			t.Fatal(err)
		}
		sum += opttest.BestValue(trials, dirs)
	}
	return sum / float64(seeds)
}

// On Branin the GP gets within 0.02 of the minimum in 40 trials on
// average, with either acquisition; random search is far off.
func TestBranin(t *testing.T) {
	sp, f := branin()
	rnd := meanBest(t, "random", nil, sp, f, 40, 5)
	for _, opts := range []search.Options{nil, {"acquisition": 1}} {
		got := meanBest(t, "gp", opts, sp, f, 40, 5)
		t.Logf("%v: mean best after 40 trials %.4f (random %.4f, minimum %.4f)", opts, got, rnd, braninMin)
		if got > braninMin+0.02 {
			t.Errorf("%v: mean best %.4f, want < %.4f", opts, got, braninMin+0.02)
		}
	}
}

// A discrete separable problem: the categorical-aware kernel finds the
// optimum of 15,625 points within 120 trials.
func TestSeparable(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	sp, f, best, _ := opttest.Separable(6, 5)
	hits, err := opttest.Hits("gp", search.Options{"candidates": 200}, sp, f, best, 120, 3)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("optimum found by %d of 3 seeds", hits)
	if hits < 3 {
		t.Errorf("optimum found by %d of 3 seeds, want 3", hits)
	}
}

func Example() {
	sp, f := branin()
	opt, err := gp.New(sp, 1, gp.DefaultConfig())
	if err != nil {
		panic(err)
	}
	dirs := []search.Direction{search.Minimize}
	trials, _ := opttest.Run(opt, sp, dirs, f, 30)
	fmt.Printf("%d trials, best %.2f\n", len(trials), opttest.BestValue(trials, dirs))
	// Output: 30 trials, best 0.40
}
