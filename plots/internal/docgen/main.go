// Command docgen stores the toy study that the README's learning-curves
// figure shows: the NAS-Bench-201 table reports one value per architecture,
// so the study of `make run` has no learning curves to draw. This study
// trains nothing: each trial reports a synthetic learning curve (accuracy
// rising toward a ceiling that depends on the learning rate and the width),
// and a median-stopping pruner stops trials that fall below the median of
// the finished trials at the same epoch.
//
//	go run ./plots/internal/docgen -db /tmp/d.db
//	bin/morphml plot curves-demo --db /tmp/d.db --kind curves --out docs/curves.png
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"

	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/store/sqlite"
)

func main() {
	db := flag.String("db", "morphml.db", "SQLite file to add the study to")
	name := flag.String("study", "curves-demo", "study name")
	trials := flag.Int("trials", 60, "trials")
	flag.Parse()
	if err := run(*db, *name, *trials); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}

const epochs = 20

func run(db, name string, n int) error {
	sp := &space.Space{Name: "toy", Params: []space.Param{
		space.NewFloat("lr", 1e-4, 1e-1, true),
		space.NewCategorical("width", "16", "32", "64", "128"),
		space.NewInt("depth", 1, 6, false),
	}}
	opt, err := search.NewOptimizer("random", sp, 1, nil)
	if err != nil {
		return err
	}
	st, err := sqlite.Open(db)
	if err != nil {
		return err
	}
	defer st.Close()
	study, err := search.NewStudy(search.StudyConfig{Name: name, Space: sp, Optimizer: opt,
		OptimizerName: "random", Seed: 1, Storage: st, Pruner: medianStop{warmup: 5, minTrials: 5}})
	if err != nil {
		return err
	}
	obj := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		rng := rand.New(rand.NewPCG(uint64(r.ID), 11))
		lr, width, depth := r.Value("lr"), r.Value("width"), r.Value("depth")
		ceiling := 88 - 9*math.Pow(math.Log10(lr)+2.2, 2) + 1.5*width + 0.5*depth
		tau := 1.5 + 2*math.Abs(math.Log10(lr)+1)
		acc := 0.0
		for e := 1; e <= epochs; e++ {
			acc = 10 + (ceiling-10)*(1-math.Exp(-float64(e)/tau)) + 0.4*rng.NormFloat64()
			if r.Report(e, acc) {
				return nil, nil
			}
		}
		return []float64{acc}, nil
	})
	return study.Optimize(context.Background(), obj, search.Budget{Trials: n, Parallel: 1})
}

// medianStop prunes a trial whose value at a step (after warmup) is below
// the median of the complete trials' values at that step.
type medianStop struct{ warmup, minTrials int }

func (m medianStop) Prune(h *search.History, t search.Trial) bool {
	if len(t.Curve) == 0 {
		return false
	}
	last := t.Curve[len(t.Curve)-1]
	if last.Step < m.warmup {
		return false
	}
	var at []float64
	for _, d := range h.Done {
		if d.State != search.Complete {
			continue
		}
		for _, s := range d.Curve {
			if s.Step == last.Step {
				at = append(at, s.Value)
			}
		}
	}
	if len(at) < m.minTrials {
		return false
	}
	slices.Sort(at)
	return last.Value < at[len(at)/2]
}
