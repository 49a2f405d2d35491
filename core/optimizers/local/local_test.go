package local_test

import (
	"fmt"
	"testing"

	"github.com/morphml/morphml/core/optimizers/local"
	"github.com/morphml/morphml/core/optimizers/opttest"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "local", nil) })
	t.Run("BestImprovement", func(t *testing.T) {
		opttest.Conformance(t, "local", search.Options{"strategy": 1, "initial": 3})
	})
	t.Run("SingleStart", func(t *testing.T) {
		opttest.Conformance(t, "local", search.Options{"initial": 1, "restart_samples": 1})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	for _, c := range []struct {
		name string
		cfg  local.Config
		ok   bool
	}{
		{"default", local.DefaultConfig(), true},
		{"best", local.Config{Initial: 1, RestartSamples: 1, Strategy: local.BestImprovement}, true},
		{"no initial", local.Config{Initial: 0, RestartSamples: 1}, false},
		{"no restart samples", local.Config{Initial: 1, RestartSamples: 0}, false},
		{"bad strategy", local.Config{Initial: 1, RestartSamples: 1, Strategy: 7}, false},
	} {
		_, err := local.New(sp, 1, c.cfg)
		if (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := local.New(nil, 1, local.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	f, _ := search.Lookup("local")
	opts, err := f.Resolve(search.Options{"strategy": 1, "initial": 4})
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.New(sp, 1, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := local.Config{Initial: 4, RestartSamples: local.DefaultRestartSamples, Strategy: local.BestImprovement}
	if got := o.(*local.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
	if local.BestImprovement.String() != "best" || local.FirstImprovement.String() != "first" {
		t.Error("strategy names")
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

// On a separable problem every point but the optimum has a better
// neighbour, so first-improvement search climbs from the best initial point
// straight to the optimum: every ask after the initial ones is a neighbour of
// the best point so far, until the optimum's neighbourhood is exhausted;
// then RestartSamples random points start a new run.
func TestFirstImprovementClimbsThenRestarts(t *testing.T) {
	sp, f, opt, _ := opttest.Separable(6, 5)
	cfg := local.Config{Initial: 5, RestartSamples: 3, Strategy: local.FirstImprovement}
	for seed := range int64(10) {
		o, _ := local.New(sp, seed, cfg)
		_, asks, err := opttest.RunParallel(o, sp, nil, f, 300, 1)
		if err != nil {
			t.Fatal(err)
		}
		found := -1
		for i := cfg.Initial; i < len(asks); i++ {
			best, _ := asks[i].History.Best()
			if best.Params.Equal(opt) {
				found = i
				break
			}
			if hamming(best.Params, asks[i].Point) != 1 {
				t.Fatalf("seed %d: ask %d = %v is not a neighbour of the best %v", seed, i, asks[i].Point, best.Params)
			}
		}
		if found < 0 || found > 200 {
			t.Fatalf("seed %d: optimum not reached in 200 trials", seed)
		}
		// The optimum's unseen neighbours come next, then a restart.
		i := found
		for ; i < len(asks) && hamming(opt, asks[i].Point) == 1; i++ {
		}
		for _, n := range sp.Neighbours(opt) {
			if !(&search.History{Done: asks[i].History.Done}).Seen(n) {
				t.Fatalf("seed %d: ask %d left the optimum before evaluating its neighbour %v", seed, i, n)
			}
		}
		for k := range cfg.RestartSamples {
			a := asks[i+k]
			h := a.History
			if want := search.SampleUnseen(&h, search.Rand(seed, a.History.Next), 100); !a.Point.Equal(want) {
				t.Fatalf("seed %d: restart ask %d = %v, want the random draw %v", seed, i+k, a.Point, want)
			}
		}
	}
}

// Best improvement evaluates the whole neighbourhood of the starting point
// before it moves.
func TestBestImprovementEvaluatesNeighbourhood(t *testing.T) {
	sp, f, _, _ := opttest.Separable(6, 5)
	cfg := local.Config{Initial: 4, RestartSamples: 1, Strategy: local.BestImprovement}
	o, _ := local.New(sp, 9, cfg)
	_, asks, err := opttest.RunParallel(o, sp, nil, f, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	h := asks[cfg.Initial].History
	start, _ := h.Best()
	nbrs := sp.Neighbours(start.Params)
	// The 24 asks after the start are its neighbours (in a random order).
	seen := map[string]bool{}
	for _, a := range asks[cfg.Initial : cfg.Initial+len(nbrs)] {
		if hamming(a.Point, start.Params) != 1 {
			t.Fatalf("ask %d = %v is not a neighbour of the start %v", a.History.Next, a.Point, start.Params)
		}
		seen[a.Point.Key()] = true
	}
	if len(seen) != len(nbrs) {
		t.Fatalf("%d distinct neighbours asked, want %d", len(seen), len(nbrs))
	}
	// Then it moves to the best of them and explores around it.
	a := asks[cfg.Initial+len(nbrs)]
	var best search.Trial
	for _, d := range a.History.Done {
		if hamming(d.Params, start.Params) == 1 && (best.Params == nil || d.Values[0] > best.Values[0]) {
			best = d
		}
	}
	if hamming(a.Point, best.Params) != 1 {
		t.Errorf("after the neighbourhood, ask %v is not a neighbour of its best %v", a.Point, best.Params)
	}
	// The neighbour order is random: another seed orders them differently.
	o2, _ := local.New(sp, 10, cfg)
	_, asks2, _ := opttest.RunParallel(o2, sp, nil, f, 40, 1)
	same := true
	for i := cfg.Initial; i < 40; i++ {
		same = same && asks[i].Point.Equal(asks2[i].Point)
	}
	if same {
		t.Error("seeds 9 and 10 asked the same neighbours in the same order")
	}
}

// With a neighbour of the centre running (parallel trials), local search
// keeps working: it asks an unseen neighbour of another good point instead
// of waiting.
func TestParallelDoesNotRepeat(t *testing.T) {
	sp, f, _, _ := opttest.Separable(3, 2) // 8 points, 3 neighbours each
	o, _ := local.New(sp, 1, local.Config{Initial: 1, RestartSamples: 1})
	trials, asks, err := opttest.RunParallel(o, sp, nil, f, 8, 3)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tr := range trials {
		seen[tr.Params.Key()] = true
	}
	if len(seen) != 8 {
		t.Errorf("%d distinct points in 8 asks of an 8-point space (3 in parallel)", len(seen))
		for _, a := range asks {
			t.Log(a.History.Next, a.Point)
		}
	}
}

// On a separable problem with 15,625 points local search finds the optimum
// within 150 trials for every seed; random search almost never does.
func TestFindsOptimum(t *testing.T) {
	sp, f, best, _ := opttest.Separable(6, 5)
	const budget, seeds = 150, 20
	for _, c := range []struct {
		name     string
		opts     search.Options
		min, max int
	}{
		{"local", nil, seeds, seeds},
		{"local", search.Options{"strategy": 1}, 18, seeds},
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
	sp, f, opt, _ := opttest.Separable(6, 5)
	o, err := local.New(sp, 1, local.DefaultConfig())
	if err != nil {
		panic(err)
	}
	trials, _ := opttest.Run(o, sp, nil, f, 150)
	h := search.History{Done: trials}
	best, _ := h.Best()
	fmt.Println(best.Params.Equal(opt))
	// Output: true
}
