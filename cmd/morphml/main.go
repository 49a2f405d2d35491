// Package main is morphml, MorphML's command line: run searches written in the
// .morph DSL, benchmark optimizers on NAS-Bench-201, and inspect and export
// stored studies.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	_ "github.com/morphml/morphml/core/optimizers" // every optimizer, by name
	_ "github.com/morphml/morphml/core/train/xla"  // the GPU engine for --device gpu|auto
)

const defaultDB = "morphml.db"

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes the command line and returns the exit code. Panics stop here:
// the user sees an error, never a Go stack dump.
func run(args []string) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(os.Stderr, "morphml: internal error: %v\n%s\nPlease report this with the command you ran.\n", p, debug.Stack())
			code = 70
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot()
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "morphml: %v\n", err)
		if ctx.Err() != nil {
			return 130
		}
		return 1
	}
	return 0
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "morphml",
		Short: "Neural architecture search: run searches, benchmark optimizers, inspect results",
		Long: `MorphML searches neural architectures and hyper-parameters.

Write the experiment in a .morph file (a search space, a search, an evaluator),
run it, and look at the results; every trial is stored in a SQLite file
(morphml.db by default), so a search that is stopped can be resumed.

  morphml run                         run the built-in example (CNNs trained on digits)
  morphml run examples/nb201.morph    run an experiment file
  morphml show <study>                the best trials and architecture of a study
  morphml bench nb201 --optimizer evolution --runs 100
                                      compare an optimizer with random search

Run 'morphml <command> --help' for the options of each command.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newRunCmd(), newBenchCmd(), newShowCmd(), newListCmd(), newExportCmd(), newOptimizersCmd())
	root.AddCommand(newPlotCmd())
	root.AddCommand(newKernelCmd())
	return root
}
