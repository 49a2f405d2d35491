package tpe_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/morphml/morphml/core/optimizers/opttest"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/optimizers/tpe"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "tpe", nil) })
	t.Run("Liar", func(t *testing.T) {
		opttest.Conformance(t, "tpe", search.Options{"constant_liar": 1, "n_startup_trials": 3, "unique": 0})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	bad := func(f func(*tpe.Config)) tpe.Config {
		c := tpe.DefaultConfig()
		f(&c)
		return c
	}
	for _, c := range []struct {
		name string
		cfg  tpe.Config
		ok   bool
	}{
		{"default", tpe.DefaultConfig(), true},
		{"no startup", bad(func(c *tpe.Config) { c.StartupTrials = 0 }), true},
		{"negative startup", bad(func(c *tpe.Config) { c.StartupTrials = -1 }), false},
		{"no candidates", bad(func(c *tpe.Config) { c.EICandidates = 0 }), false},
		{"gamma 0", bad(func(c *tpe.Config) { c.Gamma = 0 }), false},
		{"gamma above 1", bad(func(c *tpe.Config) { c.Gamma = 1.5 }), false},
		{"gamma max 0", bad(func(c *tpe.Config) { c.GammaMax = 0 }), false},
		{"prior 0", bad(func(c *tpe.Config) { c.PriorWeight = 0 }), false},
		{"prior NaN", bad(func(c *tpe.Config) { c.PriorWeight = math.NaN() }), false},
	} {
		_, err := tpe.New(sp, 1, c.cfg)
		if (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := tpe.New(nil, 1, tpe.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	f, _ := search.Lookup("tpe")
	opts, err := f.Resolve(search.Options{"constant_liar": 1, "gamma": 0.2})
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.New(sp, 1, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := tpe.DefaultConfig()
	want.ConstantLiar, want.Gamma = true, 0.2
	if got := o.(*tpe.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
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

// meanBest is the mean over seeds 1..seeds of the best value found in
// budget serial trials (minimizing).
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

// On Branin TPE gets within 0.1 of the minimum in 100 trials on average;
// random search does not (goptuna's TPE, seeds 1-10: 0.658).
func TestBranin(t *testing.T) {
	sp, f := branin()
	got := meanBest(t, "tpe", nil, sp, f, 100, 10)
	rnd := meanBest(t, "random", nil, sp, f, 100, 10)
	t.Logf("mean best after 100 trials: tpe %.4f, random %.4f (minimum %.4f)", got, rnd, braninMin)
	if got > braninMin+0.1 || got >= rnd {
		t.Errorf("tpe mean best %.4f, want < %.4f and below random's %.4f", got, braninMin+0.1, rnd)
	}
}

// On a separable discrete problem TPE's per-parameter model finds the
// optimum of 15,625 points within 200 trials for several seeds (goptuna's
// TPE: none of 10 seeds, random search: none).
func TestSeparable(t *testing.T) {
	sp, f, best, _ := opttest.Separable(6, 5)
	hits, err := opttest.Hits("tpe", nil, sp, f, best, 200, 10)
	if err != nil {
		t.Fatal(err)
	}
	rnd, _ := opttest.Hits("random", nil, sp, f, best, 200, 10)
	t.Logf("optimum found by %d of 10 seeds (random: %d)", hits, rnd)
	if hits < 3 || rnd > 1 {
		t.Errorf("optimum found by %d of 10 seeds (random %d), want >= 3 (random <= 1)", hits, rnd)
	}
}

func Example() {
	sp, f := branin()
	opt, err := tpe.New(sp, 1, tpe.DefaultConfig())
	if err != nil {
		panic(err)
	}
	dirs := []search.Direction{search.Minimize}
	trials, _ := opttest.Run(opt, sp, dirs, f, 100)
	fmt.Printf("%d trials, best %.1f\n", len(trials), opttest.BestValue(trials, dirs))
	// Output: 100 trials, best 0.5
}

// With ConstantLiar, running trials count as bad: a worker asking while
// others run at the best point is pushed away from it; without it, running
// trials change nothing.
func TestConstantLiar(t *testing.T) {
	sp := &space.Space{Name: "line", Params: []space.Param{space.NewFloat("x", 0, 1, false)}}
	f := func(p space.Point) (float64, bool) { return (p[0] - 0.3) * (p[0] - 0.3), true }
	dirs := []search.Direction{search.Minimize}
	base, _ := tpe.New(sp, 7, tpe.DefaultConfig())
	done, err := opttest.Run(base, sp, dirs, f, 40)
	if err != nil {
		t.Fatal(err)
	}
	best, _ := (&search.History{Directions: dirs, Done: done}).Best()
	var running []search.Trial
	for i := range 8 {
		running = append(running, search.Trial{ID: 40 + i, Params: best.Params, State: search.Running})
	}
	ask := func(liar bool, run []search.Trial) (dist float64, asks []float64) {
		cfg := tpe.DefaultConfig()
		cfg.ConstantLiar = liar
		o, _ := tpe.New(sp, 7, cfg)
		for next := 48; next < 148; next++ {
			p, err := o.Ask(&search.History{Space: sp, Directions: dirs, Done: done, Running: run, Next: next})
			if err != nil {
				t.Fatal(err)
			}
			asks = append(asks, p[0])
			dist += math.Abs(p[0]-best.Params[0]) / 100
		}
		return dist, asks
	}
	plain, a := ask(false, nil)
	_, b := ask(false, running)
	liar, _ := ask(true, running)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("without constant liar, running trials changed the asks")
	}
	t.Logf("mean distance of the asks to the best point %.4f: %.4f ignoring running trials, %.4f with constant liar", best.Params[0], plain, liar)
	if liar <= 1.1*plain {
		t.Errorf("constant liar did not push the asks away from the running point: %.4f vs %.4f", liar, plain)
	}
}
