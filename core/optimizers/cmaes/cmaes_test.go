package cmaes_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/morphml/morphml/core/optimizers/cmaes"
	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "cmaes", nil) })
	t.Run("SmallPopulation", func(t *testing.T) {
		opttest.Conformance(t, "cmaes", search.Options{"population_size": 3, "unique": 0})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	for _, c := range []struct {
		name string
		cfg  cmaes.Config
		ok   bool
	}{
		{"default", cmaes.DefaultConfig(), true},
		{"population 2", cmaes.Config{PopulationSize: 2, Sigma0: 0.1}, true},
		{"population 1", cmaes.Config{PopulationSize: 1, Sigma0: 0.1}, false},
		{"sigma 0", cmaes.Config{Sigma0: 0}, false},
		{"sigma NaN", cmaes.Config{Sigma0: math.NaN()}, false},
	} {
		_, err := cmaes.New(sp, 1, c.cfg)
		if (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := cmaes.New(nil, 1, cmaes.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	f, _ := search.Lookup("cmaes")
	opts, _ := f.Resolve(search.Options{"population_size": 12})
	o, err := f.New(sp, 1, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := cmaes.Config{PopulationSize: 12, Sigma0: cmaes.DefaultSigma0, Unique: true}
	if got := o.(*cmaes.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
}

func sphere(n int) (*space.Space, opttest.Objective) {
	sp := &space.Space{Name: "sphere"}
	for i := range n {
		sp.Params = append(sp.Params, space.NewFloat(fmt.Sprint("x", i), -5, 5, false))
	}
	return sp, func(p space.Point) (float64, bool) {
		s := 0.0
		for _, v := range p {
			s += (v - 1) * (v - 1)
		}
		return s, true
	}
}

// On a 5-D sphere CMA-ES converges: the best value after 300 trials is
// tiny (random search: above 1).
func TestSphere(t *testing.T) {
	sp, f := sphere(5)
	dirs := []search.Direction{search.Minimize}
	o, _ := cmaes.New(sp, 1, cmaes.DefaultConfig())
	trials, err := opttest.Run(o, sp, dirs, f, 300)
	if err != nil {
		t.Fatal(err)
	}
	if best := opttest.BestValue(trials, dirs); best > 1e-3 {
		t.Errorf("best %g after 300 trials, want < 1e-3", best)
	}
}

// The first generation is drawn before any result is known: its points do
// not depend on the values; later generations do.
func TestGenerations(t *testing.T) {
	sp, f := sphere(4)
	lambda := 4 + int(3*math.Log(4))
	run := func(f opttest.Objective) []opttest.Ask {
		o, _ := cmaes.New(sp, 3, cmaes.DefaultConfig())
		_, asks, err := opttest.RunParallel(o, sp, []search.Direction{search.Minimize}, f, 3*lambda, 1)
		if err != nil {
			t.Fatal(err)
		}
		return asks
	}
	a := run(f)
	b := run(func(p space.Point) (float64, bool) { v, _ := f(p); return -v, true })
	for i := range lambda {
		if !a[i].Point.Equal(b[i].Point) {
			t.Fatalf("ask %d of the first generation depends on the results", i)
		}
	}
	differ := false
	for i := lambda; i < 2*lambda; i++ {
		differ = differ || !a[i].Point.Equal(b[i].Point)
	}
	if !differ {
		t.Error("the second generation does not depend on the first one's results")
	}
}

// Warm-start trials (negative IDs) move the start to the best of them.
func TestStartsAtBestPrior(t *testing.T) {
	sp, _ := sphere(3)
	prior := []search.Trial{
		{ID: -2, Params: space.Point{-4, -4, -4}, State: search.Complete, Values: []float64{75}},
		{ID: -1, Params: space.Point{4, 4, 4}, State: search.Complete, Values: []float64{27}},
	}
	o, _ := cmaes.New(sp, 1, cmaes.Config{Sigma0: 1e-3})
	h := &search.History{Space: sp, Directions: []search.Direction{search.Minimize}, Done: prior}
	p, err := o.Ask(h)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range p {
		if math.Abs(v-4) > 0.1 {
			t.Fatalf("first ask %v, want near the best prior (4, 4, 4)", p)
		}
	}
}
