package random_test

import (
	"fmt"
	"testing"

	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestConformance(t *testing.T) { opttest.Conformance(t, "random", nil) }

// Random search asks every point of a small space once before it repeats.
func TestAvoidsSeen(t *testing.T) {
	sp := &space.Space{Name: "small", Params: []space.Param{
		space.NewCategorical("a", "x", "y", "z"),
		space.NewInt("b", 1, 3, false),
	}}
	for seed := range int64(20) {
		trials, err := opttest.Run(random.New(sp, seed), sp, nil, func(space.Point) (float64, bool) { return 0, true }, 9)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, tr := range trials {
			seen[tr.Params.Key()] = true
		}
		if len(seen) != 9 {
			t.Fatalf("seed %d: %d distinct points in 9 asks of a 9-point space", seed, len(seen))
		}
	}
}

func Example() {
	sp := &space.Space{Name: "hpo", Params: []space.Param{
		space.NewCategorical("act", "relu", "gelu"),
		space.NewFloat("lr", 1e-4, 1e-1, true),
	}}
	opt := random.New(sp, 1)
	h := &search.History{Space: sp, Next: 0}
	p, _ := opt.Ask(h)
	fmt.Println(sp.Contains(p))
	// Output: true
}
