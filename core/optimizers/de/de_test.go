package de_test

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/morphml/morphml/core/optimizers/de"
	"github.com/morphml/morphml/core/optimizers/opttest"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "de", nil) })
	t.Run("Rand1", func(t *testing.T) {
		opttest.Conformance(t, "de", search.Options{"strategy": 0, "population_size": 4, "cr": 1})
	})
	t.Run("CurrentToBest", func(t *testing.T) {
		opttest.Conformance(t, "de", search.Options{"strategy": 2, "f": 2, "cr": 0})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	for _, c := range []struct {
		name string
		cfg  de.Config
		ok   bool
	}{
		{"default", de.DefaultConfig(), true},
		{"smallest", de.Config{PopulationSize: 4, F: 2, CR: 0, Strategy: de.Rand1}, true},
		{"population 3", de.Config{PopulationSize: 3, F: 0.5, CR: 0.5}, false},
		{"f 0", de.Config{PopulationSize: 10, F: 0, CR: 0.5}, false},
		{"f NaN", de.Config{PopulationSize: 10, F: math.NaN(), CR: 0.5}, false},
		{"cr above 1", de.Config{PopulationSize: 10, F: 0.5, CR: 1.5}, false},
		{"unknown strategy", de.Config{PopulationSize: 10, F: 0.5, CR: 0.5, Strategy: 7}, false},
	} {
		if _, err := de.New(sp, 1, c.cfg); (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := de.New(nil, 1, de.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	o, err := search.NewOptimizer("de", sp, 1, search.Options{"strategy": 2, "cr": 0.1})
	if err != nil {
		t.Fatal(err)
	}
	want := de.Config{PopulationSize: de.DefaultPopulationSize, F: de.DefaultF, CR: 0.1, Strategy: de.CurrentToBest1}
	if got := o.(*de.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
	if got := de.CurrentToBest1.String(); got != "current-to-best1" {
		t.Errorf("strategy name %q", got)
	}
}

// The population is DE's greedy selection: the member of slot i is the best
// finished trial with ID ≡ i (mod PopulationSize), the latest on ties.
func TestPopulation(t *testing.T) {
	sp, _, _, _ := opttest.Separable(2, 3)
	o, _ := de.New(sp, 1, de.Config{PopulationSize: 4, F: 0.5, CR: 0.5})
	done := func(id int, v float64, st search.State) search.Trial {
		return search.Trial{ID: id, Params: space.Point{float64(id % 3), 0}, State: st, Values: []float64{v}}
	}
	h := &search.History{Space: sp, Done: []search.Trial{
		done(0, 1, search.Complete), done(1, 5, search.Complete), done(2, 1, search.Complete),
		done(4, 2, search.Complete), // slot 0: better than trial 0
		done(5, 4, search.Complete), // slot 1: worse than trial 1
		done(6, 1, search.Complete), // slot 2: a tie with trial 2, newer
		done(7, 9, search.Failed),   // slot 3: only a failed trial
	}}
	var ids []int
	for _, m := range o.Population(h) {
		ids = append(ids, m.ID)
	}
	if got := fmt.Sprint(ids); got != "[4 1 6 7]" {
		t.Errorf("population %s, want [4 1 6 7]", got)
	}
}

// A discrete problem with a known optimum (15,625 points): DE finds it
// within 300 trials for most seeds; random search almost never does.
func TestFindsDiscreteOptimum(t *testing.T) {
	sp, f, best, _ := opttest.Separable(6, 5)
	const budget, seeds = 300, 20
	hits, err := opttest.Hits("de", nil, sp, f, best, budget, seeds)
	if err != nil {
		t.Fatal(err)
	}
	if hits < 15 {
		t.Errorf("optimum found by %d of %d seeds, want >= 15", hits, seeds)
	}
}

// A continuous problem with a known optimum, with an integer parameter:
// the maximum of -Σ(x_i-0.3)² - (n-7)²/100 on [0,1]^4 × {0..20} is 0 at
// x = 0.3, n = 7.
func TestContinuousOptimum(t *testing.T) {
	sp := &space.Space{Name: "bowl"}
	for i := range 4 {
		sp.Params = append(sp.Params, space.NewFloat(fmt.Sprint("x", i), 0, 1, false))
	}
	sp.Params = append(sp.Params, space.NewInt("n", 0, 20, false))
	f := func(p space.Point) (float64, bool) {
		s := -(p[4] - 7) * (p[4] - 7) / 100
		for _, x := range p[:4] {
			s -= (x - 0.3) * (x - 0.3)
		}
		return s, true
	}
	for _, c := range []struct {
		name string
		cfg  de.Config
	}{
		{"defaults", de.DefaultConfig()},
		{"textbook rand/1", de.Config{PopulationSize: 20, F: 0.5, CR: 0.9, Strategy: de.Rand1}},
	} {
		var best []float64
		for seed := range 10 {
			o, _ := de.New(sp, int64(seed), c.cfg)
			trials, err := opttest.Run(o, sp, nil, f, 500)
			if err != nil {
				t.Fatal(err)
			}
			best = append(best, opttest.BestValue(trials, nil))
		}
		// Random search: a median of -0.047 on the same seeds.
		sort.Float64s(best)
		if med := best[len(best)/2]; med < -1e-3 {
			t.Errorf("%s: median best value %.5f over 10 seeds, want > -0.001 (optimum 0)", c.name, med)
		}
	}
}

// On NAS-Bench-201 DE's pick beats random search's on what both see
// (validation accuracy); the full 100-run check also checks the final test
// accuracy.
func TestNB201(t *testing.T) { opttest.NB201BeatsRandom(t, "de") }

func Example() {
	sp, f, best, _ := opttest.Separable(6, 5)
	opt, err := de.New(sp, 1, de.DefaultConfig())
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
