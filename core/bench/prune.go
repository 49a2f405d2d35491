package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/train"
)

// PruneRun summarises one search of a pruning comparison (PruneComparison):
// the same search run with a pruner and without one.
type PruneRun struct {
	Label  string // "no pruning", or the pruner's name
	Trials int    // finished trials
	Pruned int    // trials the pruner stopped
	Failed int
	// Epochs is the number of training epochs run over all trials (each
	// epoch reports one value: the length of the trial's curve).
	Epochs int
	// TrainSeconds is the training time summed over the trials
	// (train.AttrTrainTime; with several trials at once it exceeds Wall).
	TrainSeconds float64
	Wall         time.Duration // the whole search, start to end
	// Best is the trial with the best validation accuracy (objective 0);
	// BestVal and BestTest are its validation and test accuracy (%), NaN
	// when no trial completed.
	Best              int
	BestVal, BestTest float64
}

// SummarizeTraining summarises the finished trials of a search whose
// trials were trained (Evaluate(train=...)) and whose objective 0 is the
// validation accuracy, to maximize.
func SummarizeTraining(label string, trials []search.Trial, wall time.Duration) PruneRun {
	r := PruneRun{Label: label, Wall: wall, Best: -1, BestVal: math.NaN(), BestTest: math.NaN()}
	for _, t := range trials {
		if !t.State.Finished() {
			continue
		}
		r.Trials++
		switch t.State {
		case search.Pruned:
			r.Pruned++
		case search.Failed:
			r.Failed++
		}
		epochs := len(t.Curve)
		if n, err := strconv.Atoi(t.Attrs[train.AttrEpochs]); err == nil && n > epochs {
			epochs = n
		}
		r.Epochs += epochs
		if s, err := strconv.ParseFloat(t.Attrs[train.AttrTrainTime], 64); err == nil {
			r.TrainSeconds += s
		}
		if t.State == search.Complete && len(t.Values) > 0 && (r.Best < 0 || t.Values[0] > r.BestVal) {
			r.Best, r.BestVal, r.BestTest = t.ID, t.Values[0], math.NaN()
			if v, err := strconv.ParseFloat(t.Attrs[train.AttrTestAcc], 64); err == nil {
				r.BestTest = v
			}
		}
	}
	return r
}

// PruneComparison is the same search (same file, seed and budget) run
// without pruning and with a pruner, side by side.
type PruneComparison struct {
	Title   string // what was searched
	Without PruneRun
	With    PruneRun
}

// EpochRatio is the epochs trained with pruning over those without (below
// 1: pruning saved compute); NaN without epochs.
func (c PruneComparison) EpochRatio() float64 {
	if c.Without.Epochs == 0 {
		return math.NaN()
	}
	return float64(c.With.Epochs) / float64(c.Without.Epochs)
}

// WallRatio is the wall time with pruning over that without.
func (c PruneComparison) WallRatio() float64 {
	if c.Without.Wall <= 0 {
		return math.NaN()
	}
	return float64(c.With.Wall) / float64(c.Without.Wall)
}

// rows returns the table: a header and one row per measure.
func (c PruneComparison) rows() [][]string {
	pct := func(v float64) string {
		if math.IsNaN(v) {
			return "-"
		}
		return fmt.Sprintf("%.2f", v)
	}
	side := func(f func(PruneRun) string) []string { return []string{f(c.Without), f(c.With)} }
	row := func(name string, f func(PruneRun) string) []string { return append([]string{name}, side(f)...) }
	return [][]string{
		{"", c.Without.Label, c.With.Label},
		row("trials", func(r PruneRun) string { return strconv.Itoa(r.Trials) }),
		row("trials pruned", func(r PruneRun) string { return strconv.Itoa(r.Pruned) }),
		row("epochs trained", func(r PruneRun) string { return strconv.Itoa(r.Epochs) }),
		row("training time (s, summed)", func(r PruneRun) string { return fmt.Sprintf("%.1f", r.TrainSeconds) }),
		row("wall time (s)", func(r PruneRun) string { return fmt.Sprintf("%.1f", r.Wall.Seconds()) }),
		row("best validation accuracy (%)", func(r PruneRun) string { return pct(r.BestVal) }),
		row("its test accuracy (%)", func(r PruneRun) string { return pct(r.BestTest) }),
		row("best trial", func(r PruneRun) string {
			if r.Best < 0 {
				return "-"
			}
			return "#" + strconv.Itoa(r.Best)
		}),
	}
}

// saved is the closing line: the compute the pruner saved.
func (c PruneComparison) saved() string {
	e, w := c.EpochRatio(), c.WallRatio()
	return fmt.Sprintf("%s trained %.0f %% of the epochs of no pruning (%.2fx fewer) in %.0f %% of the wall time; best validation accuracy %s vs %s.",
		c.With.Label, 100*e, 1/e, 100*w, fmtPct(c.With.BestVal), fmtPct(c.Without.BestVal))
}

func fmtPct(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.2f %%", v)
}

// String renders the comparison as an aligned text table.
func (c PruneComparison) String() string {
	var b strings.Builder
	if c.Title != "" {
		b.WriteString(c.Title + "\n\n")
	}
	rows := c.rows()
	w := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, s := range r {
			w[i] = max(w[i], len(s))
		}
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s", w[0], r[0])
		for i := 1; i < len(r); i++ {
			fmt.Fprintf(&b, "  %*s", w[i], r[i])
		}
		b.WriteString("\n")
	}
	b.WriteString("\n" + c.saved() + "\n")
	return b.String()
}

// Markdown renders the comparison as a markdown table.
func (c PruneComparison) Markdown() string {
	var b strings.Builder
	if c.Title != "" {
		b.WriteString(c.Title + "\n\n")
	}
	for i, r := range c.rows() {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|---|---:|---:|\n")
		}
	}
	b.WriteString("\n" + c.saved() + "\n")
	return b.String()
}
