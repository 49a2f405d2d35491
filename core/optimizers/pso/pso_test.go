package pso_test

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/optimizers/pso"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "pso", nil) })
	t.Run("Constriction", func(t *testing.T) {
		opttest.Conformance(t, "pso", search.Options{"swarm_size": 20, "w": 0.7298, "c1": 1.49618, "c2": 1.49618, "vmax": 0.5})
	})
	t.Run("OneParticle", func(t *testing.T) { opttest.Conformance(t, "pso", search.Options{"swarm_size": 1, "w": 2, "c1": 4}) })
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	for _, c := range []struct {
		name string
		cfg  pso.Config
		ok   bool
	}{
		{"default", pso.DefaultConfig(), true},
		{"still", pso.Config{SwarmSize: 1, W: 0, C1: 0, C2: 0, VMax: 1}, true},
		{"no particles", pso.Config{SwarmSize: 0, W: 0.5, C1: 1, C2: 1, VMax: 0.5}, false},
		{"negative inertia", pso.Config{SwarmSize: 5, W: -0.1, C1: 1, C2: 1, VMax: 0.5}, false},
		{"c1 too big", pso.Config{SwarmSize: 5, W: 0.5, C1: 5, C2: 1, VMax: 0.5}, false},
		{"c2 NaN", pso.Config{SwarmSize: 5, W: 0.5, C1: 1, C2: math.NaN(), VMax: 0.5}, false},
		{"vmax 0", pso.Config{SwarmSize: 5, W: 0.5, C1: 1, C2: 1, VMax: 0}, false},
	} {
		if _, err := pso.New(sp, 1, c.cfg); (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := pso.New(nil, 1, pso.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	o, err := search.NewOptimizer("pso", sp, 1, search.Options{"w": 0.9})
	if err != nil {
		t.Fatal(err)
	}
	want := pso.DefaultConfig()
	want.W = 0.9
	if got := o.(*pso.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
}

// With only the social pull (W = C1 = 0, C2 = 1), a particle's next
// position lies between its last one and the swarm's best.
func TestMovesTowardsTheBest(t *testing.T) {
	sp := &space.Space{Name: "line", Params: []space.Param{space.NewFloat("x", 0, 10, false)}}
	f := func(p space.Point) (float64, bool) { return -math.Abs(p[0] - 7), true }
	o, _ := pso.New(sp, 3, pso.Config{SwarmSize: 4, W: 0, C1: 0, C2: 1, VMax: 1})
	_, asks, err := opttest.RunParallel(o, sp, nil, f, 40, 1)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for i := 4; i < len(asks); i++ {
		h := asks[i].History
		best, _ := h.Best()
		x, g, y := h.Done[i-4].Params[0], best.Params[0], asks[i].Point[0]
		if x == g {
			continue // a particle on the best gets a random kick
		}
		checked++
		if y < math.Min(x, g)-1e-9 || y > math.Max(x, g)+1e-9 {
			t.Errorf("ask %d: %.4f is not between the particle's %.4f and the best %.4f", i, y, x, g)
		}
	}
	if checked < 20 {
		t.Errorf("only %d asks checked", checked)
	}
}

// A discrete problem with a known optimum (15,625 points): PSO finds it
// within 300 trials for most seeds; random search almost never does.
func TestFindsDiscreteOptimum(t *testing.T) {
	sp, f, best, _ := opttest.Separable(6, 5)
	const budget, seeds = 300, 20
	hits, err := opttest.Hits("pso", nil, sp, f, best, budget, seeds)
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
		cfg  pso.Config
	}{
		{"defaults", pso.DefaultConfig()},
		{"constriction", pso.Config{SwarmSize: 20, W: 0.7298, C1: 1.49618, C2: 1.49618, VMax: 0.5}},
	} {
		var best []float64
		for seed := range 10 {
			o, _ := pso.New(sp, int64(seed), c.cfg)
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

// On NAS-Bench-201 PSO's pick beats random search's on what both see
// (validation accuracy); the full 100-run check also checks the final test
// accuracy.
func TestNB201(t *testing.T) { opttest.NB201BeatsRandom(t, "pso") }

func Example() {
	sp, f, best, _ := opttest.Separable(6, 5)
	opt, err := pso.New(sp, 1, pso.DefaultConfig())
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
