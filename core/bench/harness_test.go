package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	_ "github.com/morphml/morphml/core/optimizers"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// The pick after each query is the best validation accuracy so far, the
// earliest trial on ties; failed trials are skipped.
func TestIncumbentsTiesEarliest(t *testing.T) {
	b := mustLoad(t)
	trial := func(id, arch int, val float64, st search.State) search.Trial {
		p, err := space.ParseNB201(b.Arch(arch))
		if err != nil {
			t.Fatal(err)
		}
		tr := search.Trial{ID: id, Params: p, State: st}
		if st == search.Complete {
			tr.Values = []float64{val}
		}
		return tr
	}
	trials := []search.Trial{
		trial(0, 10, 0, search.Failed),
		trial(1, 11, 50, search.Complete),
		trial(2, 12, 70, search.Complete),
		trial(3, 13, 70, search.Complete), // a tie: the earlier trial stays
		trial(4, 14, 99, search.Pruned),
		trial(5, 15, 60, search.Complete),
		trial(6, 16, 71, search.Complete),
	}
	got, err := incumbents(b, 0, trials)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{-1, 11, 12, 12, 12, 12, 16}
	for i, p := range got {
		if p.arch != want[i] {
			t.Errorf("after trial %d: pick %d, want %d", i, p.arch, want[i])
		}
		if p.arch >= 0 && p.test != b.acc[0][p.arch].test200 {
			t.Errorf("after trial %d: test %v, want the table's %v", i, p.test, b.acc[0][p.arch].test200)
		}
	}
	if _, err := incumbents(b, 0, trials[:1]); err == nil {
		t.Error("no completed trial: no error")
	}
}

// The protocol end to end: every value a study (and so its optimizer) sees
// is a 12-epoch validation accuracy, and each run's reported figure is the
// 200-epoch test accuracy of its best-validation trial (the earliest on
// ties), as an independent replay of the same seed finds.
func TestRunNB201Protocol(t *testing.T) {
	b := mustLoad(t)
	cfg := NB201Config{Optimizer: "evolution", Options: search.Options{"population_size": 10},
		Dataset: CIFAR100, Budget: 40, Runs: 3, Seed: 7, Parallel: 2, Baseline: "random"}
	var calls []int
	rep, err := RunNB201(context.Background(), cfg, func(done, total int) {
		if total != 6 {
			t.Errorf("progress total %d, want 6", total)
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(calls) != "[1 2 3 4 5 6]" {
		t.Errorf("progress calls %v", calls)
	}
	ev, _ := b.Evaluator(CIFAR100)
	for _, arm := range []*NB201Arm{&rep.Optimizer, rep.Baseline} {
		if len(arm.Final) != 3 || len(arm.Curve) != 40 || len(arm.ValCurve) != 40 {
			t.Fatalf("%s: %d finals, %d curve points", arm.Optimizer, len(arm.Final), len(arm.Curve))
		}
		for run := range cfg.Runs {
			seed := cfg.Seed + int64(run)
			opt, _ := search.NewOptimizer(arm.Optimizer, space.NB201(100), seed, arm.Options)
			st, err := search.NewStudy(search.StudyConfig{Name: "replay", Space: space.NB201(100), Optimizer: opt, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Optimize(context.Background(), search.EvaluatorObjective(ev), search.Budget{Trials: cfg.Budget}); err != nil {
				t.Fatal(err)
			}
			trials := st.Trials()
			best := -1
			for i, tr := range trials {
				own, _ := b.Result(space.NB201String(tr.Params), CIFAR100)
				v := tr.Values[0]
				if by, ok := tr.Attrs[search.AttrCachedBy]; ok { // an isomorphic cell seen before
					var first int
					fmt.Sscan(by, &first)
					own, _ = b.Result(space.NB201String(trials[first].Params), CIFAR100)
				}
				if v != own.Val12 {
					t.Fatalf("%s run %d trial %d: the study saw %v, not the validation accuracy %v (test %v)",
						arm.Optimizer, run, i, v, own.Val12, own.Test200)
				}
				if best < 0 || v > trials[best].Values[0] {
					best = i
				}
			}
			pick := space.NB201String(trials[best].Params)
			r, _ := b.Result(pick, CIFAR100)
			if arm.Picks[run] != pick || arm.Final[run] != r.Test200 || arm.PickVal[run] != r.Val12 {
				t.Errorf("%s run %d: reported pick %s (test %v, val %v), want trial %d %s (test %v, val %v)",
					arm.Optimizer, run, arm.Picks[run], arm.Final[run], arm.PickVal[run], best, pick, r.Test200, r.Val12)
			}
		}
		m, s := meanStd(arm.Final)
		if arm.Mean != m || arm.Std != s || math.Abs(arm.Curve[39]-m) > 1e-9 {
			t.Errorf("%s: mean %v ± %v, curve end %v; want %v ± %v", arm.Optimizer, arm.Mean, arm.Std, arm.Curve[39], m, s)
		}
		for q := 1; q < len(arm.ValCurve); q++ {
			if arm.ValCurve[q] < arm.ValCurve[q-1] {
				t.Errorf("%s: best validation accuracy fell after query %d", arm.Optimizer, q+1)
			}
		}
	}
	if rep.Optimizer.Options["population_size"] != 10 || rep.Optimizer.Options["sample_size"] == 0 {
		t.Errorf("resolved options %v", rep.Optimizer.Options)
	}
	if math.Abs(rep.MaxTest-73.51) > 0.01 {
		t.Errorf("MaxTest %v", rep.MaxTest)
	}
}

// The same configuration gives the same numbers, whatever the parallelism.
func TestRunNB201Reproducible(t *testing.T) {
	run := func(parallel int) *NB201Report {
		rep, err := RunNB201(context.Background(), NB201Config{Optimizer: "local", Budget: 30, Runs: 4, Parallel: parallel}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	a, b := run(1), run(3)
	if fmt.Sprint(a.Optimizer.Final, a.Optimizer.Picks) != fmt.Sprint(b.Optimizer.Final, b.Optimizer.Picks) {
		t.Errorf("parallel 1: %v, parallel 3: %v", a.Optimizer.Final, b.Optimizer.Final)
	}
	if a.Baseline != nil {
		t.Error("a baseline without asking for one")
	}
}

func TestRunNB201Errors(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		cfg  NB201Config
		want string
	}{
		{"optimizer", NB201Config{Optimizer: "nope"}, "unknown optimizer"},
		{"baseline", NB201Config{Baseline: "nope"}, "unknown optimizer"},
		{"dataset", NB201Config{Dataset: "mnist"}, "imagenet16-120"},
		{"option", NB201Config{Options: search.Options{"population_size": 0}}, "out of range"},
		{"unknown option", NB201Config{Options: search.Options{"temperature": 1}}, "no option"},
		{"budget", NB201Config{Budget: -1}, "budget"},
	} {
		_, err := RunNB201(ctx, c.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := RunNB201(cancelled, NB201Config{Budget: 10, Runs: 4}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
}

func TestNB201ReportRendering(t *testing.T) {
	rep, err := RunNB201(context.Background(), NB201Config{Optimizer: "evolution", Budget: 20, Runs: 2, Baseline: "random"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"Markdown": rep.Markdown(), "String": rep.String(), "HTML": rep.HTML()} {
		for _, want := range []string{"cifar10", "evolution", "random", "population_size=20", "crossover=false", "±", "94.37"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s lacks %q:\n%s", name, want, s)
			}
		}
	}
	if !strings.Contains(rep.Markdown(), "|---|") || !strings.Contains(rep.HTML(), "<table>") {
		t.Error("not a table")
	}
}

// The targets of the issue: at 100 queries on CIFAR-10, over 100 runs, the
// mean final test accuracy of regularized evolution and of local search is at
// least 94.0 (references: REA about 94.0 ± 0.4, random search 93.7 ± 0.3),
// and both beat random search measured beside them.
func TestNB201Targets(t *testing.T) {
	if testing.Short() {
		t.Skip("100 runs per optimizer")
	}
	for _, name := range []string{"evolution", "local"} {
		rep, err := RunNB201(context.Background(), NB201Config{Optimizer: name, Budget: 100, Runs: 100, Baseline: "random"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + rep.String())
		if rep.Optimizer.Mean < 94.0 {
			t.Errorf("%s: mean final test accuracy %.3f < 94.0", name, rep.Optimizer.Mean)
		}
		if d, se := rep.Diff(); d < 3*se {
			t.Errorf("%s does not beat random search: %+.3f ± %.3f", name, d, se)
		}
	}
}
