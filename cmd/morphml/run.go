package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/experiment"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space/morph"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/examples"
)

func newRunCmd() *cobra.Command {
	var (
		db, study string
		resume    bool
		opts      experiment.Options
		quiet     bool
		top       int
		device    string
	)
	cmd := &cobra.Command{
		Use:   "run [FILE.morph]",
		Short: "Run the search an experiment file describes",
		Long: `Run the search a .morph experiment file describes and print the best trials
and the best architecture. Every trial is stored in the database (--db) under
the study's name, so a search that was stopped (Ctrl-C, a crash, a killed
machine) can be continued with --resume: finished trials are kept, trials that
were running are evaluated again, and the search goes on as if never stopped.

Without FILE, runs the built-in example (examples/digits.morph): regularized
evolution over small CNNs, each trained on the CPU on the UCI digits that ship
inside the binary; about a minute on 2 cores.

Examples:
  morphml run examples/nb201.morph --study first
  morphml run --resume --study first          (the file is kept in the database)`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := openDB(db, false)
			if err != nil {
				return err
			}
			defer st.Close()
			f, err := loadExperiment(args, resume, study, st)
			if err != nil {
				return err
			}
			if device != "" {
				if err := experiment.SetDevice(f, device); err != nil {
					return fmt.Errorf("--device: %w", err)
				}
			}
			opts.Study, opts.Storage, opts.Resume = study, st, resume
			total := opts.Budget
			if total == 0 && f.Search != nil {
				total = f.Search.Budget
			}
			var bar *progress
			if !quiet {
				bar = newProgress(os.Stderr, total, "searching")
			}
			var best search.Trial
			var haveBest bool
			opts.Callbacks = append(opts.Callbacks, func(s *search.Study, t search.Trial) {
				if b, ok := s.Best(); ok && (!haveBest || b.ID != best.ID) {
					best, haveBest = b, true
					bar.Describe(fmt.Sprintf("best %.4f", b.Value(0)))
				}
				bar.Set(s.Len(), total)
			})
			s, err := experiment.Run(cmd.Context(), f, opts)
			bar.Finish()
			if s != nil {
				w := cmd.OutOrStdout()
				info := s.Info()
				trials := s.Trials()
				printStudyHeader(w, info, trials)
				printTrialsTable(w, info, trials, top)
				printBestArch(w, info, trials, false)
				printNB201Test(w, f, s)
				printTrainTest(w, f, s)
				fmt.Fprintf(w, "\nStored in %s as study %q: see 'morphml show %s --db %s'.\n", db, s.Name(), s.Name(), db)
			}
			if err != nil && s != nil && cmd.Context().Err() != nil {
				return fmt.Errorf("%w: finished trials are stored; continue with 'morphml run --resume --study %s --db %s'", err, s.Name(), db)
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", defaultDB, "study database (SQLite file, created if missing)")
	fl.StringVar(&study, "study", "", "study name (default: the space's name and the time)")
	fl.BoolVar(&resume, "resume", false, "continue the stored study named by --study")
	fl.IntVar(&opts.Budget, "budget", 0, "override the file's budget (total trials)")
	fl.IntVar(&opts.Parallel, "parallel", 0, "override the file's parallel evaluations")
	fl.IntVar(&top, "top", 10, "how many of the best trials to list")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	fl.StringVar(&device, "device", "", "where trials train: cpu, gpu (XLA; needs the CUDA PJRT plugin: pip install jax-cuda13-pjrt, or MORPHML_XLA_PLUGIN) or auto (default: the file's Search(device=...), else cpu)")
	return cmd
}

// loadExperiment parses the named file, the stored one of a resumed study,
// or the built-in default.
func loadExperiment(args []string, resume bool, study string, st search.Storage) (*morph.File, error) {
	switch {
	case len(args) == 1:
		return morph.ParseFile(args[0])
	case resume:
		if study == "" {
			return nil, fmt.Errorf("--resume needs --study NAME")
		}
		info, err := st.LoadStudy(study)
		if err != nil {
			return nil, err
		}
		if info.Source == "" {
			return nil, fmt.Errorf("study %q has no stored experiment file: pass the file", study)
		}
		return morph.Parse(info.Attrs["file"], []byte(info.Source))
	}
	src, err := examples.Files.ReadFile(examples.Default)
	if err != nil {
		return nil, err
	}
	return morph.Parse("(built-in) examples/"+examples.Default, src)
}

// printNB201Test prints, for a NAS-Bench-201 study, the 200-epoch test
// accuracy of the pick: the figure the benchmark protocol reports, which the
// search never saw.
func printNB201Test(w io.Writer, f *morph.File, s *search.Study) {
	ev := f.Evaluate
	if ev == nil || ev.Kind != morph.KindBenchmark || ev.Benchmark != morph.BenchNB201 {
		return
	}
	best, ok := s.Best()
	if !ok || best.Arch == nil {
		return
	}
	table, err := bench.LoadNB201()
	if err != nil {
		return
	}
	acc, err := table.TestAccuracy(best.Arch.Labels[bench.NB201Label], ev.Dataset)
	top, err2 := table.MaxTestAccuracy(ev.Dataset)
	if err == nil && err2 == nil {
		fmt.Fprintf(w, "200-epoch test accuracy of this pick on %s: %.2f %% (never seen by the search; the best cell reaches %.2f %%)\n",
			ev.Dataset, acc, top)
	}
}

// printTrainTest prints, for a study that trains its architectures, the
// test accuracy of the pick (recorded by the trainer, never seen by the
// search).
func printTrainTest(w io.Writer, f *morph.File, s *search.Study) {
	ev := f.Evaluate
	if ev == nil || ev.Kind != morph.KindTrain {
		return
	}
	best, ok := s.Best()
	if !ok || best.Attrs[train.AttrTestAcc] == "" {
		return
	}
	fmt.Fprintf(w, "Test accuracy of this pick on %s: %s %% (never seen by the search; %s epochs in %s s)\n",
		ev.Dataset, best.Attrs[train.AttrTestAcc], best.Attrs[train.AttrEpochs], best.Attrs[train.AttrTrainTime])
	if eng := best.Attrs[train.AttrEngine]; eng != "" {
		fmt.Fprintf(w, "Trained by: %s\n", eng)
	}
}
