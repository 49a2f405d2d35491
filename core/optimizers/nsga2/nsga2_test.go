package nsga2_test

import (
	"context"
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/morphml/morphml/core/optimizers/nsga2"
	"github.com/morphml/morphml/core/optimizers/opttest"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "nsga2", nil) })
	t.Run("MutationOnly", func(t *testing.T) {
		opttest.Conformance(t, "nsga2", search.Options{"crossover_prob": 0, "population_size": 2})
	})
	t.Run("Heavy", func(t *testing.T) {
		opttest.Conformance(t, "nsga2", search.Options{"crossover_prob": 1, "mutation_prob": 1, "population_size": 7})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	for _, c := range []struct {
		name string
		cfg  nsga2.Config
		ok   bool
	}{
		{"default", nsga2.DefaultConfig(), true},
		{"explicit mutation", nsga2.Config{PopulationSize: 2, CrossoverProb: 0, MutationProb: 1}, true},
		{"population 1", nsga2.Config{PopulationSize: 1, CrossoverProb: 0.5}, false},
		{"crossover above 1", nsga2.Config{PopulationSize: 10, CrossoverProb: 1.5}, false},
		{"mutation NaN", nsga2.Config{PopulationSize: 10, MutationProb: math.NaN()}, false},
	} {
		if _, err := nsga2.New(sp, 1, c.cfg); (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := nsga2.New(nil, 1, nsga2.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	o, err := search.NewOptimizer("nsga2", sp, 1, search.Options{"mutation_prob": 0.25})
	if err != nil {
		t.Fatal(err)
	}
	want := nsga2.DefaultConfig()
	want.MutationProb = 0.25
	if got := o.(*nsga2.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
}

// The parents are chosen by non-dominated rank, then crowding distance,
// each objective by its direction; failed trials never become parents.
func TestParents(t *testing.T) {
	sp, _, _, _ := opttest.Separable(2, 2)
	o, _ := nsga2.New(sp, 1, nsga2.Config{PopulationSize: 4})
	tr := func(id int, a, b float64) search.Trial {
		return search.Trial{ID: id, Params: space.Point{0, 0}, State: search.Complete, Values: []float64{a, b}}
	}
	done := []search.Trial{
		tr(0, 1, 9), tr(1, 2, 8), tr(2, 3, 7), tr(3, 9, 1), // one front (both maximized)
		tr(4, 2.5, 7.4), tr(5, 0, 0), // 4 is on the front too, crowded between 1 and 2; 5 is dominated
		{ID: 6, Params: space.Point{1, 1}, State: search.Failed}, tr(7, 0.5, 0.5),
	}
	for _, c := range []struct {
		name string
		dirs []search.Direction
		want string
	}{
		// Front {0,1,2,3,4}: the extremes 0 and 3 stay; of 1, 2, 4 the
		// most crowded (4, then 2 or 1 by distance) leave.
		{"both maximized", []search.Direction{search.Maximize, search.Maximize}, "[0 3 2 1]"},
		// Minimizing both: 5 (0,0) dominates all; then 7; then the rest.
		{"both minimized", []search.Direction{search.Minimize, search.Minimize}, "[5 7 0 3]"},
	} {
		h := &search.History{Space: sp, Directions: c.dirs, Done: done, Next: 8}
		var ids []int
		for _, p := range o.Parents(h, 2) {
			ids = append(ids, p.ID)
		}
		if got := fmt.Sprint(ids); got != c.want {
			t.Errorf("%s: parents %s, want %s", c.name, got, c.want)
		}
		o, _ = nsga2.New(sp, 1, nsga2.Config{PopulationSize: 4}) // a fresh cache for the next directions
	}
}

// zdt is a discrete ZDT1 (Zitzler, Deb and Thiele, Evolutionary
// Computation 2000): five integer parameters 0..10, x_i = v_i/10,
// f1 = x1, f2 = g·(1 − sqrt(f1/g)) with g = 1 + 9·mean(x2..x5), both
// minimized. The Pareto front is x2 = … = x5 = 0: eleven points.
func zdt() (*space.Space, search.Objective) {
	sp := &space.Space{Name: "zdt1"}
	for i := range 5 {
		sp.Params = append(sp.Params, space.NewInt(fmt.Sprint("x", i+1), 0, 10, false))
	}
	obj := search.ObjectiveFunc(func(_ context.Context, r *search.Run) ([]float64, error) {
		f1, g := r.Params[0]/10, 0.0
		for _, v := range r.Params[1:] {
			g += v / 10
		}
		g = 1 + 9*g/4
		return []float64{f1, g * (1 - math.Sqrt(f1/g))}, nil
	})
	return sp, obj
}

// frontFound counts the true Pareto points among the Pareto set of a study.
func frontFound(t *testing.T, name string, seed int64, budget int) int {
	t.Helper()
	sp, obj := zdt()
	opt, err := search.NewOptimizer(name, sp, seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := search.NewStudy(search.StudyConfig{Name: "zdt", Space: sp, Optimizer: opt,
		Directions: []search.Direction{search.Minimize, search.Minimize}})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Optimize(context.Background(), obj, search.Budget{Trials: budget}); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tr := range st.BestTrials() {
		if tr.Params[1]+tr.Params[2]+tr.Params[3]+tr.Params[4] == 0 {
			n++
		}
	}
	return n
}

// On the discrete ZDT1 (161,051 points), NSGA-II finds most of the eleven
// Pareto-optimal points within 500 trials; random search, which draws
// one with probability 1/11^4 per trial, finds almost none.
func TestZDTFront(t *testing.T) {
	seeds := 5
	if testing.Short() {
		seeds = 2
	}
	sum, rnd := 0, 0
	for seed := range seeds {
		sum += frontFound(t, "nsga2", int64(seed), 500)
		rnd += frontFound(t, "random", int64(seed), 500)
	}
	t.Logf("true Pareto points found per run: nsga2 %.1f, random %.1f (of 11)", float64(sum)/float64(seeds), float64(rnd)/float64(seeds))
	if sum < 8*seeds {
		t.Errorf("NSGA-II found %.1f of the 11 Pareto points per run, want >= 8", float64(sum)/float64(seeds))
	}
	if rnd > seeds {
		t.Errorf("random search found %d Pareto points in %d runs: the problem is too easy", rnd, seeds)
	}
}

func Example() {
	sp, obj := zdt()
	opt, err := nsga2.New(sp, 1, nsga2.DefaultConfig())
	if err != nil {
		panic(err)
	}
	st, _ := search.NewStudy(search.StudyConfig{Name: "zdt", Space: sp, Optimizer: opt,
		Directions: []search.Direction{search.Minimize, search.Minimize}})
	if err := st.Optimize(context.Background(), obj, search.Budget{Trials: 500}); err != nil {
		panic(err)
	}
	front := st.BestTrials()
	sort.Slice(front, func(i, j int) bool { return front[i].Values[0] < front[j].Values[0] })
	for _, t := range front[:4] {
		fmt.Printf("x=%v f=(%.2f, %.2f)\n", t.Params, t.Values[0], t.Values[1])
	}
	// Output:
	// x=[0 0 0 0 0] f=(0.00, 1.00)
	// x=[1 0 0 0 0] f=(0.10, 0.68)
	// x=[2 0 0 0 0] f=(0.20, 0.55)
	// x=[3 0 0 0 0] f=(0.30, 0.45)
}

// Copies of an objective vector only fill places distinct vectors leave.
func TestParentsSkipCopies(t *testing.T) {
	sp, _, _, _ := opttest.Separable(2, 2)
	tr := func(id int, a, b float64) search.Trial {
		return search.Trial{ID: id, Params: space.Point{0, 0}, State: search.Complete, Values: []float64{a, b}}
	}
	max2 := []search.Direction{search.Maximize, search.Maximize}
	for _, c := range []struct {
		name string
		pop  int
		want string
	}{
		// 1 and 2 copy 0, the best vector; 3 and 4 are worse but distinct.
		{"distinct first", 3, "[0 3 4]"},
		{"copies fill the rest", 4, "[0 3 4 1]"},
	} {
		o, _ := nsga2.New(sp, 1, nsga2.Config{PopulationSize: c.pop})
		h := &search.History{Space: sp, Directions: max2, Next: 2 * c.pop,
			Done: []search.Trial{tr(0, 5, 5), tr(1, 5, 5), tr(2, 5, 5), tr(3, 1, 4), tr(4, 4, 1)}}
		var ids []int
		for _, p := range o.Parents(h, 2) {
			ids = append(ids, p.ID)
		}
		if got := fmt.Sprint(ids); got != c.want {
			t.Errorf("%s: parents %s, want %s", c.name, got, c.want)
		}
	}
}
