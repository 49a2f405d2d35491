package optimizers_test

import (
	"fmt"
	"slices"
	"testing"

	_ "github.com/morphml/morphml/core/optimizers"
	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/search"
)

func TestAllRegistered(t *testing.T) {
	for _, name := range []string{"random", "evolution", "local"} {
		if !slices.Contains(search.Names(), name) {
			t.Errorf("%s is not registered", name)
		}
	}
}

func Example() {
	sp, f, _, _ := opttest.Separable(4, 3)
	for _, name := range search.Names() {
		opt, err := search.NewOptimizer(name, sp, 1, nil)
		if err != nil {
			panic(err)
		}
		trials, _ := opttest.Run(opt, sp, nil, f, 30)
		fmt.Println(name, len(trials))
	}
	// Output:
	// anneal 30
	// bananas 30
	// cmaes 30
	// de 30
	// evolution 30
	// gp 30
	// local 30
	// nsga2 30
	// portfolio 30
	// pso 30
	// random 30
	// smac 30
	// tpe 30
}
