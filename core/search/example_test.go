package search_test

import (
	"context"
	"fmt"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// A study drives an optimizer with Ask/Tell through Optimize; the objective
// reads the trial's parameters. The same seed gives the same trials.
func ExampleStudy_Optimize() {
	sp := &space.Space{Name: "quadratic", Params: []space.Param{
		space.NewInt("x", -10, 10, false),
		space.NewCategorical("shift", "0", "3"),
	}}
	study, err := search.NewStudy(search.StudyConfig{
		Name: "demo", Space: sp, Optimizer: climber{seed: 1},
		Directions: []search.Direction{search.Minimize},
	})
	if err != nil {
		panic(err)
	}
	objective := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		x := r.Value("x")
		if r.Label("shift") == "3" {
			x -= 3
		}
		return []float64{x * x}, nil
	})
	if err := study.Optimize(context.Background(), objective, search.Budget{Trials: 200, Parallel: 2}); err != nil {
		panic(err)
	}
	best, _ := study.Best()
	fmt.Println(len(study.Trials()), "trials; best value", best.Values[0])
	// Output: 200 trials; best value 0
}
