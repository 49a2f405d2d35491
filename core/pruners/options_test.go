package pruners_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/pruners"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConfigValidation(t *testing.T) {
	ok := pruners.DefaultHalvingConfig()
	with := func(f func(*pruners.HalvingConfig)) pruners.HalvingConfig { c := ok; f(&c); return c }
	for _, c := range []struct {
		name string
		err  error
	}{
		{"median ok", errOf(pruners.NewMedian(pruners.MedianConfig{MinTrials: 1}))},
		{"median no trials", errOf(pruners.NewMedian(pruners.MedianConfig{MinTrials: 0}))},
		{"median negative warm-up", errOf(pruners.NewMedian(pruners.MedianConfig{WarmupSteps: -1, MinTrials: 1}))},
		{"sh ok", errOf(pruners.NewSuccessiveHalving(ok))},
		{"sh eta 1", errOf(pruners.NewSuccessiveHalving(with(func(c *pruners.HalvingConfig) { c.Eta = 1 })))},
		{"sh no cohort", errOf(pruners.NewSuccessiveHalving(with(func(c *pruners.HalvingConfig) { c.Cohort = 0 })))},
		{"asha ok", errOf(pruners.NewASHA(ok))},
		{"asha min resource 0", errOf(pruners.NewASHA(with(func(c *pruners.HalvingConfig) { c.MinResource = 0 })))},
		{"asha negative max", errOf(pruners.NewASHA(with(func(c *pruners.HalvingConfig) { c.MaxResource = -1 })))},
		{"hyperband ok", errOf(pruners.NewHyperband(pruners.HyperbandConfig{MinResource: 1, MaxResource: 9, Eta: 3}))},
		{"hyperband no max", errOf(pruners.NewHyperband(pruners.HyperbandConfig{MinResource: 1, Eta: 3}))},
		{"hyperband max below min", errOf(pruners.NewHyperband(pruners.HyperbandConfig{MinResource: 4, MaxResource: 2, Eta: 3}))},
	} {
		if want := strings.HasSuffix(c.name, "ok"); (c.err == nil) != want {
			t.Errorf("%s: error %v", c.name, c.err)
		}
	}
}

// errOf returns the error of a constructor.
func errOf[T any](_ T, err error) error { return err }

func TestNew(t *testing.T) {
	if got := fmt.Sprint(pruners.Names()); got != "[asha hyperband median sh]" {
		t.Errorf("names %s", got)
	}
	for _, c := range []struct {
		name string
		opts search.Options
		want string // "" for success, else part of the error
	}{
		{"median", nil, ""},
		{"median", search.Options{"warmup_steps": 3, "pareto": 1}, ""},
		{"sh", search.Options{"cohort": 9}, ""},
		{"asha", search.Options{"eta": 2, "max_resource": 100}, ""},
		{"hyperband", search.Options{"max_resource": 81}, ""},
		{"hyperband", nil, "max resource"},
		{"asha", search.Options{"cohort": 3}, `no option "cohort"`},
		{"asha", search.Options{"eta": 1}, "out of range"},
		{"median", search.Options{"pareto": 4}, "out of range"},
		{"medain", nil, `unknown pruner "medain"`},
	} {
		p, err := pruners.New(c.name, c.opts)
		switch {
		case c.want == "" && (err != nil || p == nil):
			t.Errorf("New(%s, %v): %v", c.name, c.opts, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("New(%s, %v): error %v, want one with %q", c.name, c.opts, err, c.want)
		}
	}
	p, _ := pruners.New("asha", search.Options{"pareto": 3, "min_trials": 5})
	if cfg := p.(*pruners.ASHA).Config(); fmt.Sprint(cfg.Pareto) != "[arch_params arch_flops]" || cfg.MinTrials != 5 || cfg.Eta != 3 {
		t.Errorf("asha config %+v", cfg)
	}
	for _, name := range pruners.Names() {
		f, _ := pruners.Lookup(name)
		if f.Doc == "" {
			t.Errorf("%s: no doc", name)
		}
		for _, o := range f.Options {
			if o.Doc == "" || !o.Contains(o.Default) {
				t.Errorf("%s: option %s: doc %q, default %v", name, o.Name, o.Doc, o.Default)
			}
		}
	}
}

// In a study of accuracy (maximize) against parameters (minimize), a small
// network that learns slowly survives a rung with Pareto set, and is
// stopped by the same pruner on accuracy alone.
func TestParetoKeepsSmallNetworks(t *testing.T) {
	dirs := []search.Direction{search.Maximize, search.Minimize}
	peer := func(id int, acc float64, params string) search.Trial {
		return search.Trial{ID: id, State: search.Complete, Values: []float64{acc, 0},
			Curve: []search.Step{{Step: 1, Value: acc}}, Attrs: map[string]string{search.AttrArchParams: params}}
	}
	h := &search.History{Directions: dirs}
	for i := range 8 {
		h.Done = append(h.Done, peer(i, 80+float64(i), fmt.Sprint(1_000_000+100_000*i)))
	}
	small := search.Trial{ID: 8, State: search.Running, Curve: []search.Step{{Step: 1, Value: 60}},
		Attrs: map[string]string{search.AttrArchParams: "20000"}}
	big := small
	big.Attrs = map[string]string{search.AttrArchParams: "5000000"}
	h.Running = []search.Trial{small}
	cfg := pruners.DefaultHalvingConfig()
	for _, c := range []struct {
		name   string
		pareto []string
		t      search.Trial
		want   bool
	}{
		{"accuracy only: small network stopped", nil, small, true},
		{"pareto: small network kept", []string{search.AttrArchParams}, small, false},
		{"pareto: big and bad stopped", []string{search.AttrArchParams}, big, true},
	} {
		cfg.Pareto = c.pareto
		asha, _ := pruners.NewASHA(cfg)
		if got := asha.Prune(h, c.t); got != c.want {
			t.Errorf("%s: ASHA prune = %v, want %v", c.name, got, c.want)
		}
		med, _ := pruners.NewMedian(pruners.MedianConfig{MinTrials: 1, Pareto: c.pareto})
		if got := med.Prune(h, c.t); got != c.want {
			t.Errorf("%s: median prune = %v, want %v", c.name, got, c.want)
		}
	}
}

func ExampleNewASHA() {
	sp := &space.Space{Name: "curves", Params: []space.Param{space.NewFloat("q", 0, 1, false)}}
	opt, _ := search.NewOptimizer("random", sp, 1, nil)
	cfg := pruners.DefaultHalvingConfig() // rungs at steps 1, 3, 9, ...
	cfg.MaxResource = 27
	asha, _ := pruners.NewASHA(cfg)
	st, _ := search.NewStudy(search.StudyConfig{Name: "asha", Space: sp, Optimizer: opt, Pruner: asha})
	steps := 0
	train := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		for s := 1; s <= 27; s++ { // 27 epochs of a learning curve that saturates at q
			steps++
			if r.Report(s, r.Params[0]*float64(s)/(float64(s)+3)) {
				return nil, nil // stopped early
			}
		}
		return []float64{r.Params[0] * 27 / 30}, nil
	})
	if err := st.Optimize(context.Background(), train, search.Budget{Trials: 50}); err != nil {
		panic(err)
	}
	complete, pruned := 0, 0
	for _, t := range st.Trials() {
		if t.State == search.Complete {
			complete++
		} else if t.State == search.Pruned {
			pruned++
		}
	}
	best, _ := st.Best()
	fmt.Printf("%d complete, %d pruned, %d of %d epochs trained, best q=%.2f\n", complete, pruned, steps, 50*27, best.Params[0])
	// Output: 7 complete, 43 pruned, 288 of 1350 epochs trained, best q=1.00
}
