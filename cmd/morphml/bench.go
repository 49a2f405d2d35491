package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Benchmark optimizers on tabular NAS benchmarks",
	}
	cmd.AddCommand(newBenchNB201Cmd(), newBenchTableCmd(), newBenchMOCmd(), newBenchASHACmd())
	return cmd
}

func newBenchNB201Cmd() *cobra.Command {
	var cfg bench.NB201Config
	var opts []string
	var markdown, quiet bool
	var plotFile string
	cmd := &cobra.Command{
		Use:   "nb201",
		Short: "Run an optimizer many times on NAS-Bench-201 and compare it with random search",
		Long: `Run an optimizer many times on NAS-Bench-201 under the benchmark's honest protocol
and compare it with random search measured in the same command.

Protocol: the optimizer sees only the 12-epoch validation accuracy of the
architectures it queries (one query = one trial). After the budget is spent,
the architecture with the best validation accuracy it saw is its pick, and the
figure reported is that architecture's 200-epoch test accuracy. Each run uses
seed --seed + run index. The result is the mean ± standard deviation over the runs.

Example:
  morphml bench nb201 --optimizer evolution --dataset cifar10 --budget 100 --runs 100`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f, ok := search.Lookup(cfg.Optimizer)
			if !ok {
				return fmt.Errorf("unknown optimizer %q (known: %s)", cfg.Optimizer, strings.Join(search.Names(), ", "))
			}
			var err error
			if cfg.Options, err = parseOptions(f, opts); err != nil {
				return err
			}
			var bar *progress
			if !quiet {
				bar = newProgress(os.Stderr, 0, "nb201 runs")
			}
			start := time.Now()
			rep, err := bench.RunNB201(cmd.Context(), cfg, func(done, total int) {
				bar.Set(done, total)
			})
			bar.Finish()
			if err != nil {
				return err
			}
			if markdown {
				fmt.Fprint(cmd.OutOrStdout(), rep.Markdown())
			} else {
				fmt.Fprint(cmd.OutOrStdout(), rep.String())
			}
			fmt.Fprintf(cmd.OutOrStdout(), "(%s in %.1fs)\n", cfg.Dataset, time.Since(start).Seconds())
			if plotFile != "" {
				return saveBenchPlot(cmd.OutOrStdout(), rep, plotFile)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&cfg.Optimizer, "optimizer", "evolution", "optimizer to benchmark (see 'morphml optimizers')")
	fl.StringArrayVar(&opts, "set", nil, "optimizer option NAME=VALUE (repeatable), e.g. --set population_size=20")
	fl.StringVar(&cfg.Dataset, "dataset", "cifar10", "cifar10, cifar100 or imagenet16-120")
	fl.IntVar(&cfg.Budget, "budget", 100, "queries (trials) per run")
	fl.IntVar(&cfg.Runs, "runs", 100, "independent runs")
	fl.Int64Var(&cfg.Seed, "seed", 0, "seed of the first run")
	fl.IntVar(&cfg.Parallel, "parallel", runtime.NumCPU(), "runs at once")
	fl.StringVar(&cfg.Baseline, "baseline", "random", "optimizer measured beside it in the same command (empty: none)")
	fl.BoolVar(&markdown, "markdown", false, "print a markdown table")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	fl.StringVar(&plotFile, "plot", "", "also draw the test accuracy of the pick vs. queries (mean ± std) into FILE.png or .svg")
	return cmd
}

// parseOptions reads NAME=VALUE optimizer options; categorical values are
// given by their label (crossover=true).
func parseOptions(f search.Factory, kv []string) (search.Options, error) {
	out := search.Options{}
	for _, s := range kv {
		name, val, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("--set %q: want NAME=VALUE", s)
		}
		o, ok := f.Option(name)
		if !ok {
			var names []string
			for _, o := range f.Options {
				names = append(names, o.Name)
			}
			return nil, fmt.Errorf("optimizer %q has no option %q (options: %s)", f.Name, name, strings.Join(names, ", "))
		}
		if o.Kind == space.Categorical {
			i := o.Index(val)
			if i < 0 {
				return nil, fmt.Errorf("option %s: %q is not one of %s", name, val, strings.Join(o.Choices, ", "))
			}
			out[name] = float64(i)
			continue
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return nil, fmt.Errorf("option %s: %q is not a number", name, val)
		}
		out[name] = v
	}
	return f.Resolve(out)
}

func newOptimizersCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "optimizers",
		Short: "List the optimizers and their options",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			w := cmd.OutOrStdout()
			for _, n := range search.Names() {
				f, _ := search.Lookup(n)
				fmt.Fprintf(w, "%s\n    %s\n", f.Name, f.Doc)
				for _, o := range f.Options {
					fmt.Fprintf(w, "    %-18s %-11s default %-6s %s\n", o.Name, o.Kind, o.Format(o.Default), o.Doc)
				}
				fmt.Fprintln(w)
			}
		},
	}
}
