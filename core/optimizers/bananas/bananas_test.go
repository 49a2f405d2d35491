package bananas_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/optimizers/bananas"
	"github.com/morphml/morphml/core/optimizers/opttest"
	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) { opttest.Conformance(t, "bananas", nil) })
	t.Run("UCB", func(t *testing.T) {
		opttest.Conformance(t, "bananas", search.Options{"acquisition": 1, "n_startup_trials": 3, "parents": 2, "mutations": 3})
	})
}

func TestConfig(t *testing.T) {
	sp, _, _, _ := opttest.Separable(3, 3)
	mod := func(f func(*bananas.Config)) bananas.Config {
		c := bananas.DefaultConfig()
		f(&c)
		return c
	}
	for _, c := range []struct {
		name string
		cfg  bananas.Config
		ok   bool
	}{
		{"default", bananas.DefaultConfig(), true},
		{"ucb", mod(func(c *bananas.Config) { c.Acquisition = bananas.UCB }), true},
		{"one startup trial", mod(func(c *bananas.Config) { c.StartupTrials = 1 }), false},
		{"ensemble of 1", mod(func(c *bananas.Config) { c.Ensemble = 1 }), false},
		{"no parents", mod(func(c *bananas.Config) { c.Parents = 0 }), false},
		{"no mutations", mod(func(c *bananas.Config) { c.Mutations = 0 }), false},
		{"bad acquisition", mod(func(c *bananas.Config) { c.Acquisition = 4 }), false},
		{"NaN beta", mod(func(c *bananas.Config) { c.Beta = math.NaN() }), false},
	} {
		_, err := bananas.New(sp, 1, c.cfg)
		if (err == nil) != c.ok {
			t.Errorf("%s: New(%+v) error %v", c.name, c.cfg, err)
		}
	}
	if _, err := bananas.New(nil, 1, bananas.DefaultConfig()); err == nil {
		t.Error("nil space: no error")
	}
	f, _ := search.Lookup("bananas")
	opts, _ := f.Resolve(search.Options{"acquisition": 1, "ensemble": 5})
	o, err := f.New(sp, 1, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := bananas.DefaultConfig()
	want.Acquisition, want.Ensemble = bananas.UCB, 5
	if got := o.(*bananas.Optimizer).Config(); got != want {
		t.Errorf("factory config %+v, want %+v", got, want)
	}
	if bananas.ITS.String() != "its" || bananas.UCB.String() != "ucb" {
		t.Error("acquisition names")
	}
}

// The path encoding of NAS-Bench-201 cells: one feature per sequence of
// the four operations other than none along an input-to-output path
// (4 + 16 + 64 = 84), none cutting the paths through it.
func TestPathEncoding(t *testing.T) {
	e := bananas.NewEncoding(space.NB201(10))
	if e.Width() != 84 || e.PathFeatures() != 84 {
		t.Fatalf("width %d, path features %d; want 84, 84", e.Width(), e.PathFeatures())
	}
	ones := func(cell string) []int {
		p, err := space.ParseNB201(cell)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for i, v := range e.Encode(p) {
			if v == 1 {
				out = append(out, i)
			} else if v != 0 {
				t.Fatalf("%s: feature %d = %v", cell, i, v)
			}
		}
		return out
	}
	for _, c := range []struct {
		cell string
		want string
	}{
		// Operations are numbered in order of first appearance among the
		// choices: skip 0, conv1x1 1, conv3x3 2, avgpool 3. A path of
		// length L with operations o1..oL is feature offset(L) + the
		// base-4 number o1...oL, offsets 0, 4, 20.
		{"|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", "[2 14 62]"},
		{"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "[]"},
		// Only 0 -> 3 (skip) and 0 -> 1 -> 3 (conv1x1, avgpool).
		{"|nor_conv_1x1~0|+|none~0|none~1|+|skip_connect~0|avg_pool_3x3~1|none~2|", "[0 11]"},
		// The same paths through node 2 instead of node 1: the same features.
		{"|none~0|+|nor_conv_1x1~0|none~1|+|skip_connect~0|none~1|avg_pool_3x3~2|", "[0 11]"},
	} {
		if got := fmt.Sprint(ones(c.cell)); got != c.want {
			t.Errorf("%s: features %s, want %s", c.cell, got, c.want)
		}
	}
	// A space without cell edges is one-hot encoded.
	sp, _, _, _ := opttest.Separable(3, 4)
	if g := bananas.NewEncoding(sp); g.PathFeatures() != 0 || g.Width() != 12 {
		t.Errorf("separable space: %d path features, width %d; want 0, 12", g.PathFeatures(), g.Width())
	}
}

// On NAS-Bench-201 (CIFAR-10) BANANAS beats random search with the same
// seeds and budget.
func TestNB201(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	rep, err := bench.RunNB201(context.Background(), bench.NB201Config{Optimizer: "bananas", Baseline: "random",
		Dataset: bench.CIFAR10, Budget: 100, Runs: 10, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("100 queries, 10 runs: bananas %.2f ± %.2f, random %.2f ± %.2f", rep.Optimizer.Mean, rep.Optimizer.Std, rep.Baseline.Mean, rep.Baseline.Std)
	if rep.Optimizer.Mean <= rep.Baseline.Mean {
		t.Errorf("bananas %.2f is not above random search's %.2f", rep.Optimizer.Mean, rep.Baseline.Mean)
	}
}

func Example() {
	sp := space.NB201(10)
	opt, err := bananas.New(sp, 1, bananas.DefaultConfig())
	if err != nil {
		panic(err)
	}
	p, _ := space.ParseNB201("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|")
	var set []int
	for i, v := range opt.Encoding().Encode(p) {
		if v == 1 {
			set = append(set, i)
		}
	}
	// Paths: skip; conv3x3 conv3x3; conv3x3 skip; conv3x3 avgpool skip.
	fmt.Println(opt.Encoding().Width(), set)
	// Output: 84 [0 12 14 64]
}
