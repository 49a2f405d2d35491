package morph

import (
	"errors"
	"sync"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

var registerOnce sync.Once

// registerFakes registers stand-ins for the optimizers "random",
// "evolution" and "local" (with options like the real ones), unless a real
// one is registered already.
func registerFakes() {
	registerOnce.Do(func() {
		fakes := []search.Factory{
			{Name: "random", Doc: "uniform random search"},
			{Name: "evolution", Doc: "regularized evolution", Options: []search.Option{
				{Param: space.NewInt("population_size", 1, 1_000_000, false), Default: 20},
				{Param: space.NewInt("sample_size", 1, 1_000_000, false), Default: 5},
				{Param: space.NewCategorical("crossover", "false", "true"), Default: 0},
			}},
			{Name: "local", Doc: "local search", Options: []search.Option{
				{Param: space.NewInt("initial", 1, 1_000_000, false), Default: 10},
				{Param: space.NewCategorical("strategy", "first", "best"), Default: 0},
				{Param: space.NewFloat("temperature", 0, 10, false), Default: 1},
			}},
		}
		for _, f := range fakes {
			if _, ok := search.Lookup(f.Name); ok {
				continue
			}
			f.New = func(*space.Space, int64, search.Options) (search.Optimizer, error) {
				return nil, errors.New("fake optimizer")
			}
			search.Register(f)
		}
	})
}

func init() {
	registerFakes()
}
