package plots

import (
	"errors"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/morphml/morphml/core/search"
)

// TrialValue is one trial's value of a metric.
type TrialValue struct {
	Trial int
	Value float64
}

// HistorySeries is the optimization history of one objective.
type HistorySeries struct {
	Metric Metric
	// Trials are the complete trials with a finite value, by ID.
	Trials []TrialValue
	// Best is the best value so far after each of Trials (same length, same IDs).
	Best []TrialValue
	// Pruned are pruned trials at the last intermediate value they reported
	// (objective 0 only; pruned trials that reported nothing are left out).
	Pruned []TrialValue
	// Failed lists the IDs of failed trials (they have no value).
	Failed []int
}

// HistoryData extracts the optimization history of every objective.
func HistoryData(info search.StudyInfo, trials []search.Trial) []HistorySeries {
	trials = byID(trials)
	out := make([]HistorySeries, max(1, len(info.Directions)))
	for i := range out {
		s := &out[i]
		s.Metric = ObjectiveMetric(info, i)
		for _, t := range trials {
			switch t.State {
			case search.Failed:
				s.Failed = append(s.Failed, t.ID)
			case search.Pruned:
				if i == 0 && len(t.Curve) > 0 {
					s.Pruned = append(s.Pruned, TrialValue{t.ID, t.Curve[len(t.Curve)-1].Value})
				}
			}
			v, ok := s.Metric.Of(t)
			if !ok {
				continue
			}
			best := v
			if n := len(s.Best); n > 0 && !s.Metric.better(v, s.Best[n-1].Value) {
				best = s.Best[n-1].Value
			}
			s.Trials = append(s.Trials, TrialValue{t.ID, v})
			s.Best = append(s.Best, TrialValue{t.ID, best})
		}
	}
	return out
}

// History draws the optimization history: every complete trial's value by
// trial number, the best value so far as a step line, pruned trials (at
// their last reported value) as crosses; failed trials are counted in the
// title. A study with several objectives gets one panel per objective.
func History(info search.StudyInfo, trials []search.Trial) (*Figure, error) {
	data := HistoryData(info, trials)
	n := 0
	for _, s := range data {
		n += len(s.Trials)
	}
	if n == 0 {
		return nil, fmt.Errorf("history of study %q: %w", info.Name, errNoComplete)
	}
	var panels []*plot.Plot
	for k, s := range data {
		title := ""
		if k == 0 {
			title = fmt.Sprintf("Optimization history: %s (%d trials)", info.Name, len(trials))
			if len(s.Failed) > 0 {
				title += fmt.Sprintf(", %d failed not shown", len(s.Failed))
			}
		}
		xl := ""
		if k == len(data)-1 {
			xl = "trial"
		}
		panels = append(panels, historyPanel(title, xl, s))
	}
	if len(panels) == 1 {
		return newFigure(panels[0]), nil
	}
	return stacked(panels, DefaultWidth, 2.6*vg.Inch*vg.Length(len(panels))+0.4*vg.Inch), nil
}

var errNoComplete = errors.New("no complete trial with a value to plot")

func historyPanel(title, xLabel string, s HistorySeries) *plot.Plot {
	p := newPlot(title, xLabel, s.Metric.Label())
	leg := newLegend(p)
	pts := make(plotter.XYs, len(s.Trials))
	best := make(plotter.XYs, len(s.Best))
	for i, t := range s.Trials {
		pts[i] = plotter.XY{X: float64(t.Trial), Y: t.Value}
		best[i] = plotter.XY{X: float64(s.Best[i].Trial), Y: s.Best[i].Value}
	}
	sc, _ := plotter.NewScatter(pts)
	sc.GlyphStyle = glyph(faded(blue, 0.55), draw.CircleGlyph{}, 2.2)
	bl, _ := plotter.NewLine(best)
	bl.StepStyle = plotter.PostStep
	bl.LineStyle = line(red, 1.6)
	p.Add(sc, bl)
	leg.add("trial", sc)
	leg.add("best so far", bl)
	leg.points = pts
	var steps plotter.XYs
	for i, b := range best {
		if i > 0 {
			steps = append(steps, plotter.XY{X: b.X, Y: best[i-1].Y})
		}
		steps = append(steps, b)
	}
	leg.lines = []plotter.XYs{steps}
	p.X.Tick.Marker = intTicks{}
	if len(s.Trials) > 0 {
		lo, hi := s.Trials[0].Value, s.Trials[0].Value
		for _, t := range s.Trials {
			lo, hi = min(lo, t.Value), max(hi, t.Value)
		}
		p.Y.Tick.Marker = ticksFor(lo, hi)
	}
	if len(s.Pruned) > 0 {
		pp := make(plotter.XYs, len(s.Pruned))
		for i, t := range s.Pruned {
			pp[i] = plotter.XY{X: float64(t.Trial), Y: t.Value}
		}
		ps, _ := plotter.NewScatter(pp)
		ps.GlyphStyle = glyph(orange, draw.CrossGlyph{}, 2.5)
		p.Add(ps)
		leg.add("pruned (last report)", ps)
		leg.points = append(leg.points, pp...)
	}
	p.Add(leg)
	return p
}

// stacked draws plots in one column with aligned axes.
func stacked(panels []*plot.Plot, w, h vg.Length) *Figure {
	return &Figure{Width: w, Height: h, DPI: DefaultDPI, Alt: panels[0].Title.Text,
		paint: func(c draw.Canvas) {
			rows := make([][]*plot.Plot, len(panels))
			for i, p := range panels {
				rows[i] = []*plot.Plot{p}
			}
			tiles := draw.Tiles{Rows: len(panels), Cols: 1, PadY: 6, PadTop: 2, PadBottom: 2, PadLeft: 2, PadRight: 4}
			cs := plot.Align(rows, tiles, c)
			for i, p := range panels {
				p.Draw(cs[i][0])
			}
		}}
}
