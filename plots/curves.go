package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/morphml/morphml/core/search"
)

// LearningCurve is the intermediate values one trial reported.
type LearningCurve struct {
	Trial  int
	State  search.State // Complete, Pruned (stopped at its last step) or Failed
	Steps  []float64
	Values []float64
}

// CurvesData is what the learning-curves figure draws.
type CurvesData struct {
	Metric Metric          // objective 0, which intermediate values estimate
	Curves []LearningCurve // every finished trial that reported something, by ID
	Best   int             // the ID of the best complete trial among them (-1: none)
}

// LearningCurves extracts the intermediate values of the finished trials.
func LearningCurves(info search.StudyInfo, trials []search.Trial) CurvesData {
	d := CurvesData{Metric: ObjectiveMetric(info, 0), Best: -1}
	bestV := math.NaN()
	for _, t := range byID(trials) {
		if !t.State.Finished() || len(t.Curve) == 0 {
			continue
		}
		c := LearningCurve{Trial: t.ID, State: t.State}
		for _, s := range t.Curve {
			if !math.IsNaN(s.Value) && !math.IsInf(s.Value, 0) {
				c.Steps = append(c.Steps, float64(s.Step))
				c.Values = append(c.Values, s.Value)
			}
		}
		if len(c.Steps) == 0 {
			continue
		}
		d.Curves = append(d.Curves, c)
		if v, ok := d.Metric.Of(t); ok && (d.Best < 0 || d.Metric.better(v, bestV)) {
			d.Best, bestV = t.ID, v
		}
	}
	return d
}

// Curves draws every trial's intermediate values against the step: complete
// trials in blue, pruned ones in orange ending in a cross where they were
// stopped, failed ones in grey, the best trial thick.
func Curves(info search.StudyInfo, trials []search.Trial) (*Figure, error) {
	d := LearningCurves(info, trials)
	if len(d.Curves) == 0 {
		return nil, fmt.Errorf("learning curves of study %q: no finished trial reported intermediate values", info.Name)
	}
	n := count(trials)
	title := fmt.Sprintf("Learning curves: %s (%d trials, %d pruned)", info.Name, len(d.Curves), n[search.Pruned])
	single := true
	for _, c := range d.Curves {
		single = single && len(c.Steps) == 1
	}
	if single {
		title += "\neach trial reported one intermediate value"
	}
	p := newPlot(title, "step", "intermediate "+d.Metric.Label())
	p.X.Tick.Marker = intTicks{}
	leg := newLegend(p)
	var ends [3]plotter.XYs // complete, pruned, failed
	var best plotter.XYs
	styles := [3]struct {
		line  draw.LineStyle
		glyph draw.GlyphStyle
		name  string
	}{
		{line(faded(blue, 0.35), 0.8), glyph(faded(blue, 0.6), draw.CircleGlyph{}, 1.8), "complete"},
		{line(faded(orange, 0.5), 0.8), glyph(orange, draw.CrossGlyph{}, 2.5), "pruned (stopped at ×)"},
		{line(faded(grey, 0.5), 0.8), glyph(grey, draw.CircleGlyph{}, 1.5), "failed"},
	}
	for _, c := range d.Curves {
		k := 0
		switch c.State {
		case search.Pruned:
			k = 1
		case search.Failed:
			k = 2
		}
		xy := make(plotter.XYs, len(c.Steps))
		for i := range c.Steps {
			xy[i] = plotter.XY{X: c.Steps[i], Y: c.Values[i]}
		}
		leg.lines = append(leg.lines, xy)
		if c.Trial == d.Best {
			best = xy
		}
		l, _ := plotter.NewLine(xy)
		l.LineStyle = styles[k].line
		if len(xy) > 1 {
			p.Add(l)
		}
		ends[k] = append(ends[k], xy[len(xy)-1])
	}
	for k, e := range ends {
		if len(e) == 0 {
			continue
		}
		s, _ := plotter.NewScatter(e)
		s.GlyphStyle = styles[k].glyph
		p.Add(s)
		thumb, _ := plotter.NewLine(e)
		thumb.LineStyle = styles[k].line
		leg.add(styles[k].name, thumb, s)
	}
	if best != nil {
		bl, _ := plotter.NewLine(best)
		bl.LineStyle = line(red, 1.8)
		p.Add(bl)
		if len(best) == 1 {
			bs, _ := plotter.NewScatter(best)
			bs.GlyphStyle = glyph(red, draw.CircleGlyph{}, 3)
			p.Add(bs)
			leg.add(fmt.Sprintf("best (trial %d)", d.Best), bs)
		} else {
			leg.add(fmt.Sprintf("best (trial %d)", d.Best), bl)
		}
	}
	p.Add(leg)
	f := newFigure(p)
	f.Alt = "Learning curves of " + info.Name
	return f, nil
}
