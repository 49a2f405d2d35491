package portfolio_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/optimizers/portfolio"
	"github.com/morphml/morphml/core/search"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "portfolio", nil) })
	t.Run("Small", func(t *testing.T) {
		opttest.Conformance(t, "portfolio", search.Options{"use_tpe": 0, "use_bananas": 0, "use_random": 1, "window": 2})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	for _, c := range []struct {
		name string
		cfg  portfolio.Config
		ok   bool
	}{
		{"default", portfolio.DefaultConfig(), true},
		{"one member", portfolio.Config{Members: []portfolio.Member{{Name: "random"}}, Window: 1}, true},
		{"member options", portfolio.Config{Members: []portfolio.Member{{Name: "evolution", Options: search.Options{"population_size": 5}}}, Window: 1}, true},
		{"no members", portfolio.Config{Window: 10}, false},
		{"unknown member", portfolio.Config{Members: []portfolio.Member{{Name: "nope"}}, Window: 1}, false},
		{"bad member option", portfolio.Config{Members: []portfolio.Member{{Name: "evolution", Options: search.Options{"nope": 1}}}, Window: 1}, false},
		{"itself", portfolio.Config{Members: []portfolio.Member{{Name: "portfolio"}}, Window: 1}, false},
		{"no window", portfolio.Config{Members: []portfolio.Member{{Name: "random"}}}, false},
		{"NaN exploration", portfolio.Config{Members: []portfolio.Member{{Name: "random"}}, Window: 1, Exploration: math.NaN()}, false},
	} {
		_, err := portfolio.New(sp, 1, c.cfg)
		if (err == nil) != c.ok {
			t.Errorf("%s: New error %v", c.name, err)
		}
	}
	if _, err := portfolio.New(nil, 1, portfolio.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	f, _ := search.Lookup("portfolio")
	opts, _ := f.Resolve(search.Options{"use_tpe": 0, "use_smac": 1, "window": 5})
	o, err := f.New(sp, 1, opts)
	if err != nil {
		t.Fatal(err)
	}
	cfg := o.(*portfolio.Optimizer).Config()
	var names []string
	for _, m := range cfg.Members {
		names = append(names, m.Name)
	}
	if fmt.Sprint(names) != "[evolution local bananas smac]" || cfg.Window != 5 {
		t.Errorf("factory members %v, window %d", names, cfg.Window)
	}
}

// The bandit gives most trials to the member that finds better points:
// local search against random search on a separable problem.
func TestAllocatesToTheBetterMember(t *testing.T) {
	sp, f, _, _ := opttest.Separable(6, 5)
	o, err := portfolio.New(sp, 1, portfolio.Config{
		Members: []portfolio.Member{{Name: "random"}, {Name: "local"}}, Window: 10, Exploration: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	_, asks, err := opttest.RunParallel(o, sp, nil, f, 200, 1)
	if err != nil {
		t.Fatal(err)
	}
	count := make([]int, 2)
	for _, a := range asks[100:] {
		h := a.History
		count[o.Member(&h)]++
	}
	t.Logf("trials 100-199: random %d, local %d", count[0], count[1])
	if count[1] < 2*count[0] {
		t.Errorf("trials 100-199: random %d, local %d; want local at least twice random", count[0], count[1])
	}
}

// The allocation is derived from the history: a fresh portfolio names the
// same member for every recorded ask, serially and with trials in
// parallel, and each ask is that member's answer to the history.
func TestAllocationFromHistory(t *testing.T) {
	sp, f, _, _ := opttest.Separable(5, 4)
	members := []portfolio.Member{{Name: "random"}, {Name: "evolution"}, {Name: "local"}}
	for _, workers := range []int{1, 3} {
		used, _ := portfolio.New(sp, 4, portfolio.Config{Members: members, Window: 5, Exploration: 0.5})
		_, asks, err := opttest.RunParallel(used, sp, nil, f, 60, workers)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for i, a := range asks {
			h := a.History
			fresh, _ := portfolio.New(sp, 4, portfolio.Config{Members: members, Window: 5, Exploration: 0.5})
			k := fresh.Member(&h)
			seen[k] = true
			m, _ := search.NewOptimizer(members[k].Name, sp, 4*1000003+int64(k), nil)
			p, err := m.Ask(&h)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Equal(a.Point) {
				t.Fatalf("%d workers, ask %d: member %d (%s) asks %v, the portfolio asked %v", workers, i, k, members[k].Name, p, a.Point)
			}
		}
		if len(seen) != 3 {
			t.Errorf("%d workers: members used %v, want all three", workers, seen)
		}
	}
}

func Example() {
	sp, f, _, _ := opttest.Separable(6, 5)
	opt, err := portfolio.New(sp, 1, portfolio.DefaultConfig())
	if err != nil {
		panic(err)
	}
	trials, _ := opttest.Run(opt, sp, nil, f, 100)
	counts := map[string]int{}
	for _, t := range trials {
		h := search.History{Space: sp, Done: trials[:t.ID], Next: t.ID}
		counts[opt.Config().Members[opt.Member(&h)].Name]++
	}
	fmt.Println(len(trials), len(counts))
	// Output: 100 4
}
