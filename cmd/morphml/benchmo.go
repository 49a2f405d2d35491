package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/morphml/morphml/core/bench"
)

func newBenchMOCmd() *cobra.Command {
	var cfg bench.NB201MOConfig
	var quiet bool
	cmd := &cobra.Command{
		Use:   "nb201-mo",
		Short: "Multi-objective NAS-Bench-201: validation accuracy vs parameters, hypervolume against random search",
		Long: `Run a multi-objective optimizer many times on NAS-Bench-201 with two objectives,
the 12-epoch validation accuracy (maximize) and the network's parameters (minimize),
and compare the hypervolume of its Pareto fronts with random search's, measured in
the same command. The test hypervolume re-measures each run's front with the
200-epoch test accuracy of its own cells.

Example:
  morphml bench nb201-mo --optimizer nsga2 --budget 300 --runs 100`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var bar *progress
			if !quiet {
				bar = newProgress(os.Stderr, 0, "nb201-mo runs")
			}
			rep, err := bench.RunNB201MO(cmd.Context(), cfg, func(done, total int) { bar.Set(done, total) })
			bar.Finish()
			if err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), rep.Markdown())
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&cfg.Optimizer, "optimizer", "nsga2", "multi-objective optimizer")
	fl.StringVar(&cfg.Dataset, "dataset", "cifar10", "cifar10, cifar100 or imagenet16-120")
	fl.IntVar(&cfg.Budget, "budget", 100, "queries (trials) per run")
	fl.IntVar(&cfg.Runs, "runs", 30, "independent runs")
	fl.Int64Var(&cfg.Seed, "seed", 0, "seed of the first run")
	fl.IntVar(&cfg.Parallel, "parallel", runtime.NumCPU(), "runs at once")
	fl.StringVar(&cfg.Baseline, "baseline", "random", "optimizer measured beside it (empty: none)")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	return cmd
}
