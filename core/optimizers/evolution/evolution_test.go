package evolution_test

import (
	"fmt"
	"testing"

	"github.com/morphml/morphml/core/optimizers/evolution"
	"github.com/morphml/morphml/core/optimizers/opttest"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "evolution", nil) })
	t.Run("GA", func(t *testing.T) {
		opttest.Conformance(t, "evolution", search.Options{"crossover": 1, "population_size": 5, "sample_size": 2})
	})
	t.Run("Greedy", func(t *testing.T) {
		opttest.Conformance(t, "evolution", search.Options{"population_size": 1, "sample_size": 1})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	for _, c := range []struct {
		name string
		cfg  evolution.Config
		ok   bool
	}{
		{"default", evolution.DefaultConfig(), true},
		{"ga", evolution.Config{PopulationSize: 10, SampleSize: 3, Crossover: true}, true},
		{"no population", evolution.Config{PopulationSize: 0, SampleSize: 3}, false},
		{"no sample", evolution.Config{PopulationSize: 10, SampleSize: 0}, false},
	} {
		_, err := evolution.New(sp, 1, c.cfg)
		if (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := evolution.New(nil, 1, evolution.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	f, _ := search.Lookup("evolution")
	opts, err := f.Resolve(search.Options{"crossover": 1})
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.New(sp, 1, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := evolution.Config{PopulationSize: evolution.DefaultPopulationSize, SampleSize: evolution.DefaultSampleSize, Crossover: true}
	if got := o.(*evolution.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
}

// The first PopulationSize trials are random (they do not depend on the
// results); every later one is a mutant of a member of the population, the
// last PopulationSize finished trials.
func TestRandomStartThenMutants(t *testing.T) {
	sp, f, _, _ := opttest.Separable(6, 5)
	const pop = 8
	cfg := evolution.Config{PopulationSize: pop, SampleSize: 3}
	run := func(f opttest.Objective) []opttest.Ask {
		o, _ := evolution.New(sp, 5, cfg)
		_, asks, err := opttest.RunParallel(o, sp, nil, f, 60, 1)
		if err != nil {
			t.Fatal(err)
		}
		return asks
	}
	asks := run(f)
	other := run(func(p space.Point) (float64, bool) { v, _ := f(p); return -v, true })
	for i := range pop {
		if !asks[i].Point.Equal(other[i].Point) {
			t.Fatalf("ask %d depends on the results: %v vs %v", i, asks[i].Point, other[i].Point)
		}
	}
	for i := pop; i < len(asks); i++ {
		done := asks[i].History.Done
		popn := done[len(done)-pop:]
		ok := false
		for _, m := range popn {
			if hamming(m.Params, asks[i].Point) == 1 {
				ok = true
			}
		}
		if !ok {
			t.Errorf("ask %d = %v is not a mutant of the population", i, asks[i].Point)
		}
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

// A tournament over the whole population (SampleSize much larger than
// PopulationSize) always mutates the best member.
func TestTournamentPicksTheBest(t *testing.T) {
	sp, f, _, _ := opttest.Separable(6, 5)
	o, _ := evolution.New(sp, 3, evolution.Config{PopulationSize: 4, SampleSize: 200})
	_, asks, err := opttest.RunParallel(o, sp, nil, f, 40, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4; i < len(asks); i++ {
		h := asks[i].History
		h.Done = h.Done[len(h.Done)-4:]
		best, _ := h.Best()
		if hamming(best.Params, asks[i].Point) != 1 {
			t.Errorf("ask %d = %v is not a mutant of the population's best %v", i, asks[i].Point, best.Params)
		}
	}
}

// Failed trials never win a tournament against a completed one.
func TestFailedTrialsLose(t *testing.T) {
	sp, _, _, _ := opttest.Separable(6, 5)
	good := space.Point{0, 0, 0, 0, 0, 0}
	o, _ := evolution.New(sp, 1, evolution.Config{PopulationSize: 3, SampleSize: 50})
	h := &search.History{Space: sp, Next: 3, Done: []search.Trial{
		{ID: 0, Params: space.Point{1, 1, 1, 1, 1, 1}, State: search.Failed},
		{ID: 1, Params: good, State: search.Complete, Values: []float64{0}},
		{ID: 2, Params: space.Point{2, 2, 2, 2, 2, 2}, State: search.Pruned},
	}}
	for next := 3; next < 20; next++ {
		h.Next = next
		p, err := o.Ask(h)
		if err != nil {
			t.Fatal(err)
		}
		if hamming(p, good) != 1 {
			t.Fatalf("ask %d = %v is not a mutant of the only completed trial", next, p)
		}
	}
}

// On a separable problem with 15,625 points evolution finds the optimum
// within 300 trials for most seeds; random search almost never does.
func TestFindsOptimum(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	sp, f, best, _ := opttest.Separable(6, 5)
	const budget, seeds = 300, 20
	for _, c := range []struct {
		name     string
		opts     search.Options
		min, max int
	}{
		{"evolution", nil, 15, seeds},
		{"evolution", search.Options{"crossover": 1}, 15, seeds},
		{"random", nil, 0, 2},
	} {
		hits, err := opttest.Hits(c.name, c.opts, sp, f, best, budget, seeds)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %v: optimum found by %d of %d seeds", c.name, c.opts, hits, seeds)
		if hits < c.min || hits > c.max {
			t.Errorf("%s %v: optimum found by %d of %d seeds, want %d..%d", c.name, c.opts, hits, seeds, c.min, c.max)
		}
	}
}

func Example() {
	sp, f, _, _ := opttest.Separable(6, 5)
	opt, err := evolution.New(sp, 1, evolution.Config{PopulationSize: 20, SampleSize: 10})
	if err != nil {
		panic(err)
	}
	trials, _ := opttest.Run(opt, sp, nil, f, 300)
	h := search.History{Done: trials}
	best, _ := h.Best()
	fmt.Println(len(trials), sp.Contains(best.Params))
	// Output: 300 true
}
