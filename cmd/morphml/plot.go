package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/plots"
)

var plotKinds = plots.Kinds

func newPlotCmd() *cobra.Command {
	var db, kind, out, x, y, ref, metric string
	var full bool
	var seed int64
	cmd := &cobra.Command{
		Use:   "plot STUDY",
		Short: "Draw a figure of a study: history, pareto, importance, curves, parallel or arch",
		Long: `Draw a figure of a stored study as a PNG or SVG file (by the extension of --out).

Kinds:
  history     every trial's value and the best so far, by trial (one panel per objective)
  pareto      two metrics against each other: the Pareto front, its hypervolume
              (--x, --y; a single-objective study defaults to --x params --y value)
  importance  permutation importance of each parameter (random forest, cross-validated)
  curves      the intermediate values each trial reported (pruned trials marked)
  parallel    parallel coordinates of the parameters and the objective
  arch        the best trial's architecture (a cell network: its cell; --full: every node)

Metrics (--x, --y, --metric): value (objective 0), value0, value1 ..., params and
flops (the architecture's size, lower is better), attr:NAME[:min|max] (a numeric
trial attribute).

Examples:
  morphml plot demo --kind history --out history.png
  morphml plot demo --kind pareto --x params --y value --out pareto.svg`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(plotKinds, kind) {
				return fmt.Errorf("unknown kind %q (want %s)", kind, strings.Join(plotKinds, ", "))
			}
			if out == "" {
				out = args[0] + "-" + kind + ".png"
			}
			info, trials, err := loadStudy(db, args[0])
			if err != nil {
				return err
			}
			fig, err := drawStudy(info, trials, kind, plotFlags{x: x, y: y, ref: ref, metric: metric, full: full, seed: seed})
			if err != nil {
				return err
			}
			if err := fig.Save(out); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\n", out)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&db, "db", defaultDB, "study database (SQLite file)")
	fl.StringVar(&kind, "kind", "history", strings.Join(plotKinds, ", "))
	fl.StringVarP(&out, "out", "o", "", "output file, .png or .svg (default STUDY-KIND.png)")
	fl.StringVar(&x, "x", "", "pareto: metric of the x axis (default value0, or params for a single-objective study)")
	fl.StringVar(&y, "y", "", "pareto: metric of the y axis (default value1, or value for a single-objective study)")
	fl.StringVar(&ref, "ref", "", "pareto: hypervolume reference point X,Y (default: the worst values, a tenth of the range further)")
	fl.StringVar(&metric, "metric", "value", "importance, parallel: the metric to explain")
	fl.BoolVar(&full, "full", false, "arch: draw every node, not just the cell of a cell network")
	fl.Int64Var(&seed, "seed", 0, "importance: seed of the forest, the folds and the permutations")
	return cmd
}

type plotFlags struct {
	x, y, ref, metric string
	full              bool
	seed              int64
}

// drawStudy draws one kind of figure of a study, the flags checked first.
func drawStudy(info search.StudyInfo, trials []search.Trial, kind string, f plotFlags) (*plots.Figure, error) {
	o := plots.StudyOptions{X: f.x, Y: f.y, Metric: f.metric, Full: f.full, Seed: f.seed}
	if f.ref != "" {
		parts := strings.Split(f.ref, ",")
		if len(parts) != 2 {
			return nil, fmt.Errorf("--ref %q: want two numbers X,Y", f.ref)
		}
		for _, p := range parts {
			v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
			if err != nil {
				return nil, fmt.Errorf("--ref %q: %q is not a number", f.ref, p)
			}
			o.Reference = append(o.Reference, v)
		}
	}
	fig, err := plots.StudyFigure(info, trials, kind, o)
	if err != nil && (strings.HasPrefix(err.Error(), "x: ") || strings.HasPrefix(err.Error(), "y: ")) {
		err = fmt.Errorf("--%w", err)
	}
	return fig, err
}

// saveBenchPlot draws a NAS-Bench-201 report's convergence curves.
func saveBenchPlot(w io.Writer, rep *bench.NB201Report, path string) error {
	fig, err := plots.Comparison(plots.NB201ComparisonData(rep))
	if err != nil {
		return err
	}
	if err := fig.Save(path); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", path)
	return nil
}
