package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/search"
)

func newBenchTableCmd() *cobra.Command {
	var cfg bench.TableConfig
	var optimizers, datasets, budgets, csvPath string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "nb201-table",
		Short: "Measure every optimizer on every NAS-Bench-201 dataset and budget: one markdown table",
		Long: `Run 'bench nb201' for every optimizer, dataset and budget asked for and print one
markdown table, with the NAS-Bench-201 paper's published figures beside it.
This is the command that regenerates the README's table:

  morphml bench nb201-table --optimizers all --budgets 50,100,300 --runs 100 --csv nb201.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if cfg.Optimizers, err = parseOptimizerList(optimizers); err != nil {
				return err
			}
			if datasets != "all" {
				cfg.Datasets = strings.Split(datasets, ",")
			}
			for _, s := range strings.Split(budgets, ",") {
				b, err := strconv.Atoi(strings.TrimSpace(s))
				if err != nil || b < 1 {
					return fmt.Errorf("--budgets: %q is not a positive number", s)
				}
				cfg.Budgets = append(cfg.Budgets, b)
			}
			var bar *progress
			if !quiet {
				bar = newProgress(os.Stderr, 0, "nb201 table")
			}
			tab, err := bench.RunNB201Table(cmd.Context(), cfg, func(done, total int, last bench.TableCell) {
				bar.Describe(fmt.Sprintf("%s %s @%d", last.Optimizer, last.Dataset, last.Budget))
				bar.Set(done, total)
			})
			bar.Finish()
			if err != nil {
				return err
			}
			fmt.Fprint(cmd.OutOrStdout(), tab.Markdown())
			if csvPath != "" {
				f, err := os.Create(csvPath)
				if err != nil {
					return err
				}
				defer f.Close()
				return tab.WriteCSV(f)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&optimizers, "optimizers", "all", "comma-separated optimizer names, or all (the single-objective ones)")
	fl.StringVar(&datasets, "datasets", "all", "comma-separated: cifar10, cifar100, imagenet16-120, or all")
	fl.StringVar(&budgets, "budgets", "50,100,300", "comma-separated query budgets")
	fl.IntVar(&cfg.Runs, "runs", 100, "runs per cell")
	fl.Int64Var(&cfg.Seed, "seed", 0, "seed of the first run")
	fl.IntVar(&cfg.Parallel, "parallel", runtime.NumCPU(), "runs at once")
	fl.StringVar(&csvPath, "csv", "", "also write the cells as CSV to this file")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	return cmd
}

// multiObjective lists optimizers that need several objectives and so have
// no place in a single-objective table.
var multiObjective = map[string]bool{"nsga2": true}

func parseOptimizerList(s string) ([]string, error) {
	if s == "all" {
		var out []string
		for _, n := range search.Names() {
			if !multiObjective[n] {
				out = append(out, n)
			}
		}
		return out, nil
	}
	var out []string
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if _, ok := search.Lookup(n); !ok {
			return nil, fmt.Errorf("unknown optimizer %q (known: %s)", n, strings.Join(search.Names(), ", "))
		}
		out = append(out, n)
	}
	return out, nil
}
