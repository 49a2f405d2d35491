package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/experiment"
	"github.com/morphml/morphml/core/pruners"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space/morph"
	"github.com/morphml/morphml/examples"
)

// defaultASHAExample is the file `bench asha` runs when given none.
const defaultASHAExample = "digits_asha.morph"

func newBenchASHACmd() *cobra.Command {
	var (
		budget, parallel int
		pruner           string
		markdown, quiet  bool
	)
	cmd := &cobra.Command{
		Use:   "asha [FILE.morph]",
		Short: "Run a training search with and without pruning (ASHA) and compare them side by side",
		Long: `Run the search of a .morph file that trains its architectures (Evaluate(train=...))
twice with the same seed and budget: once with no pruning, once with the
file's pruner (its Prune statement; ASHA with its defaults when it has none,
or --pruner). Prints, side by side, the trials, the trials pruned, the
epochs trained in total, the training and wall time, the best validation
accuracy and that trial's test accuracy, and the compute the pruner saved.

Without FILE, runs the built-in examples/digits_asha.morph: evolution over
small CNNs trained on the CPU on the UCI digits that ship inside the binary,
ASHA at epochs 1, 3 and 9; about two minutes on 2 cores for both searches.

Example:
  morphml bench asha
  morphml bench asha examples/digits_asha.morph --budget 40 --markdown`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := loadASHAExperiment(args)
			if err != nil {
				return err
			}
			if f.Evaluate == nil || f.Evaluate.Kind != morph.KindTrain {
				return fmt.Errorf("%s: bench asha needs a search that trains its architectures (Evaluate(train=...))", f.Path)
			}
			with := f.Prune
			if pruner != "" || with == nil {
				name := pruner
				if name == "" {
					name = "asha"
				}
				var opts search.Options
				if with != nil && with.Pruner == name {
					opts = with.Options
				}
				with = &morph.Prune{Pruner: name, Options: opts}
			}
			if _, err := pruners.New(with.Pruner, with.Options); err != nil {
				return err
			}
			sc := f.Search
			if sc == nil {
				return fmt.Errorf("%s: no Search statement", f.Path)
			}
			n, par := sc.Budget, sc.Parallel
			if budget > 0 {
				n = budget
			}
			if parallel > 0 {
				par = parallel
			}
			run := func(label string, p *morph.Prune) (bench.PruneRun, error) {
				g := *f
				g.Prune = p
				var bar *progress
				if !quiet {
					bar = newProgress(os.Stderr, n, label)
				}
				start := time.Now()
				s, err := experiment.Run(cmd.Context(), &g, experiment.Options{
					Study: "bench-asha-" + label, Budget: budget, Parallel: parallel,
					Callbacks: []func(*search.Study, search.Trial){func(s *search.Study, _ search.Trial) { bar.Set(s.Len(), n) }},
				})
				bar.Finish()
				if err != nil {
					return bench.PruneRun{}, fmt.Errorf("%s: %w", label, err)
				}
				return bench.SummarizeTraining(label, s.Trials(), time.Since(start)), nil
			}
			c := bench.PruneComparison{Title: fmt.Sprintf(
				"%s: %s, %d trials, seed %d, %d at once; trained on %s for at most %d epochs",
				f.Path, sc.Optimizer, n, sc.Seed, par, f.Evaluate.Dataset, f.Evaluate.Training.Epochs)}
			if c.Without, err = run("no pruning", nil); err != nil {
				return err
			}
			if c.With, err = run(with.Pruner, with); err != nil {
				return err
			}
			if markdown {
				fmt.Fprint(cmd.OutOrStdout(), c.Markdown())
			} else {
				fmt.Fprint(cmd.OutOrStdout(), c.String())
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&budget, "budget", 0, "override the file's budget (trials per search)")
	fl.IntVar(&parallel, "parallel", 0, "override the file's parallel evaluations")
	fl.StringVar(&pruner, "pruner", "", "pruner to compare with (default: the file's, else asha)")
	fl.BoolVar(&markdown, "markdown", false, "print a markdown table")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress bars")
	return cmd
}

// loadASHAExperiment parses the named file or the built-in example.
func loadASHAExperiment(args []string) (*morph.File, error) {
	if len(args) == 1 {
		return morph.ParseFile(args[0])
	}
	src, err := examples.Files.ReadFile(defaultASHAExample)
	if err != nil {
		return nil, err
	}
	return morph.Parse("(built-in) examples/"+defaultASHAExample, src)
}
