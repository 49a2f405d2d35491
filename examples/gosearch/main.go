// Package main is the README's "Searching from Go" example: regularized
// evolution on NAS-Bench-201 (CIFAR-10) driven from Go, stored in SQLite.
//
//	go run ./examples/gosearch
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/morphml/morphml/core/bench"
	_ "github.com/morphml/morphml/core/optimizers/evolution" // registers "evolution"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/store/sqlite"
)

func main() {
	dir, err := os.MkdirTemp("", "morphml-gosearch")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	sp := space.NB201(10) // or space.NewLayerSpace(...), or morph.ParseFile("x.morph")
	opt, err := search.NewOptimizer("evolution", sp, 1, search.Options{"population_size": 20})
	if err != nil {
		log.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(dir, "morphml.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	study, err := search.NewStudy(search.StudyConfig{
		Name: "go-demo", Space: sp, Optimizer: opt, OptimizerName: "evolution", Seed: 1, Storage: db,
	})
	if err != nil {
		log.Fatal(err)
	}
	table, err := bench.LoadNB201()
	if err != nil {
		log.Fatal(err)
	}
	eval, err := table.Evaluator("cifar10")
	if err != nil {
		log.Fatal(err)
	}
	err = study.Optimize(context.Background(), search.EvaluatorObjective(eval),
		search.Budget{Trials: 100, Parallel: 2})
	if err != nil {
		log.Fatal(err)
	}
	best, _ := study.Best()
	fmt.Printf("best of %d trials: %s, validation accuracy %.2f %%\n",
		study.Len(), best.Arch.Labels["nb201"], best.Values[0])
}
