package plots

import (
	"fmt"
	"strings"

	"github.com/morphml/morphml/core/search"
)

// Kinds are the figures StudyFigure draws, by name.
var Kinds = []string{"history", "pareto", "importance", "curves", "parallel", "arch"}

// StudyOptions adjust StudyFigure; the zero value draws every kind with its
// defaults.
type StudyOptions struct {
	X, Y      string    // pareto: axis metrics (default value0 and value1; params and value for one objective)
	Reference []float64 // pareto: hypervolume reference point, 2 numbers (default: from the data)
	Metric    string    // importance, parallel: the metric to explain (default "value")
	Full      bool      // arch: every node, not only the cell of a cell network
	Seed      int64     // importance: seed of the forest, folds and permutations
}

// StudyFigure draws one kind of figure (one of Kinds) of a study's trials;
// it is what `morphml plot`, the notebook kernel and the Python package's
// study.plot_*() draw. Metrics are named as ParseMetric reads them.
func StudyFigure(info search.StudyInfo, trials []search.Trial, kind string, o StudyOptions) (*Figure, error) {
	switch kind {
	case "history":
		return History(info, trials)
	case "pareto":
		opts, err := paretoOptions(info, o)
		if err != nil {
			return nil, err
		}
		return Pareto(info, trials, opts)
	case "importance", "parallel":
		name := o.Metric
		if name == "" {
			name = "value"
		}
		m, err := ParseMetric(info, name)
		if err != nil {
			return nil, err
		}
		if kind == "parallel" {
			return Parallel(info, trials, m)
		}
		return Importance(info, trials, ImportanceOptions{Metric: m, Seed: o.Seed})
	case "curves":
		return Curves(info, trials)
	case "arch":
		h := search.History{Directions: info.Directions, Done: trials}
		best, ok := h.Best()
		if !ok {
			return nil, fmt.Errorf("study %q has no complete trial yet", info.Name)
		}
		if best.Arch == nil {
			return nil, fmt.Errorf("study %q: the best trial %d has no architecture (a hyper-parameter space)", info.Name, best.ID)
		}
		if o.Full {
			return ArchFull(best.Arch), nil
		}
		return Arch(best.Arch), nil
	}
	return nil, fmt.Errorf("unknown figure kind %q (want %s)", kind, strings.Join(Kinds, ", "))
}

// paretoOptions resolves the axes; a study with one objective plots its
// value against the architecture's parameters.
func paretoOptions(info search.StudyInfo, o StudyOptions) (ParetoOptions, error) {
	var opts ParetoOptions
	x, y := o.X, o.Y
	if x == "" {
		x = "value0"
		if len(info.Directions) < 2 {
			x = "params"
		}
	}
	if y == "" {
		y = "value1"
		if len(info.Directions) < 2 {
			y = "value"
		}
	}
	var err error
	if opts.X, err = ParseMetric(info, x); err != nil {
		return opts, fmt.Errorf("x: %w", err)
	}
	if opts.Y, err = ParseMetric(info, y); err != nil {
		return opts, fmt.Errorf("y: %w", err)
	}
	if o.Reference != nil && len(o.Reference) != 2 {
		return opts, fmt.Errorf("reference: want two numbers X,Y, got %d", len(o.Reference))
	}
	opts.Reference = o.Reference
	return opts, nil
}
