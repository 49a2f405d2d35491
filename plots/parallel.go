package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// ParallelAxis is one vertical axis of a parallel-coordinates figure.
type ParallelAxis struct {
	Name        string
	Categorical bool
	Log         bool
	Min, Max    float64 // range of the values (categorical: choice indices)
	// Ticks are positions in [0, 1] along the axis and Labels their text:
	// every choice of a categorical parameter, evenly spaced; a few round
	// numbers of a numeric one.
	Ticks  []float64
	Labels []string
}

// ParallelLine is one trial: its position on each axis, in [0, 1], and its
// objective value (the last axis).
type ParallelLine struct {
	Trial int
	Y     []float64
	Value float64
}

// ParallelData is what the parallel-coordinates figure draws: one axis per
// parameter that takes more than one value, then the objective.
type ParallelData struct {
	Metric Metric
	Axes   []ParallelAxis
	Lines  []ParallelLine // complete trials, worst first (best drawn on top)
}

// ParallelCoordinates extracts the axes and one line per complete trial.
func ParallelCoordinates(info search.StudyInfo, trials []search.Trial, m Metric) (ParallelData, error) {
	var d ParallelData
	var err error
	if d.Metric, err = m.resolve(info); err != nil {
		return d, fmt.Errorf("parallel coordinates: %w", err)
	}
	var cols []int
	for j, p := range info.Params {
		if p.Cardinality() > 1 {
			cols = append(cols, j)
		}
	}
	var rows []search.Trial
	var vals []float64
	for _, t := range byID(trials) {
		if v, ok := d.Metric.Of(t); ok && len(t.Params) == len(info.Params) {
			rows, vals = append(rows, t), append(vals, v)
		}
	}
	if len(rows) == 0 {
		return d, fmt.Errorf("parallel coordinates of study %q: %w", info.Name, errNoComplete)
	}
	for _, j := range cols {
		p := info.Params[j]
		col := make([]float64, len(rows))
		for i, t := range rows {
			col[i] = t.Params[j]
		}
		d.Axes = append(d.Axes, paramAxis(p, col))
	}
	d.Axes = append(d.Axes, numericAxis(d.Metric.Name, vals, false))
	for i, t := range rows {
		l := ParallelLine{Trial: t.ID, Value: vals[i], Y: make([]float64, len(d.Axes))}
		for k, j := range cols {
			l.Y[k] = d.Axes[k].position(t.Params[j])
		}
		l.Y[len(cols)] = d.Axes[len(cols)].position(vals[i])
		d.Lines = append(d.Lines, l)
	}
	slices.SortStableFunc(d.Lines, func(a, b ParallelLine) int {
		if d.Metric.better(a.Value, b.Value) {
			return 1
		}
		if d.Metric.better(b.Value, a.Value) {
			return -1
		}
		return 0
	})
	return d, nil
}

func paramAxis(p space.Param, col []float64) ParallelAxis {
	if p.Kind == space.Categorical {
		a := ParallelAxis{Name: p.Name, Categorical: true, Min: 0, Max: float64(len(p.Choices) - 1)}
		for i, c := range p.Choices {
			a.Ticks = append(a.Ticks, a.position(float64(i)))
			a.Labels = append(a.Labels, c)
		}
		return a
	}
	return numericAxis(p.Name, append(col, p.Low, p.High), p.Log && p.Low > 0)
}

func numericAxis(name string, vals []float64, log bool) ParallelAxis {
	a := ParallelAxis{Name: name, Log: log, Min: slices.Min(vals), Max: slices.Max(vals)}
	var ticks []plot.Tick // gonum's tickers panic on an empty range
	if log && a.Min > 0 && a.Max > a.Min {
		// powers of ten (gonum's LogTicks misses the first decade)
		for e := math.Ceil(math.Log10(a.Min) - 1e-9); e <= math.Floor(math.Log10(a.Max)+1e-9); e++ {
			v := math.Pow(10, e)
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
		}
	} else if a.Max > a.Min {
		ticks = plot.DefaultTicks{}.Ticks(a.Min, a.Max)
	}
	for _, t := range ticks {
		if t.Label != "" && t.Value >= a.Min-1e-9*math.Abs(a.Min) && t.Value <= a.Max+1e-9*math.Abs(a.Max) {
			a.Ticks = append(a.Ticks, a.position(t.Value))
			a.Labels = append(a.Labels, t.Label)
		}
	}
	if len(a.Ticks) == 0 { // a constant or a narrow range: label the ends
		a.Ticks = []float64{a.position(a.Min), a.position(a.Max)}
		a.Labels = []string{strconv.FormatFloat(a.Min, 'g', 4, 64), strconv.FormatFloat(a.Max, 'g', 4, 64)}
		if a.Min == a.Max {
			a.Ticks, a.Labels = a.Ticks[:1], a.Labels[:1]
		}
	}
	return a
}

// position maps a value to [0, 1] along the axis (0.5 for a constant).
func (a ParallelAxis) position(v float64) float64 {
	lo, hi := a.Min, a.Max
	if a.Log {
		lo, hi, v = math.Log(lo), math.Log(hi), math.Log(v)
	}
	if hi == lo {
		return 0.5
	}
	return (v - lo) / (hi - lo)
}

// Parallel draws parallel coordinates: one vertical axis per parameter
// (categorical choices on evenly spaced, labelled ticks) and the objective
// last, one line per complete trial, coloured from light (worst) to dark
// (best), the best drawn on top.
func Parallel(info search.StudyInfo, trials []search.Trial, m Metric) (*Figure, error) {
	d, err := ParallelCoordinates(info, trials, m)
	if err != nil {
		return nil, err
	}
	p := newPlot(fmt.Sprintf("Parallel coordinates: %s (%d trials; darker = better %s)", info.Name, len(d.Lines), d.Metric.Name), "", "")
	names := make([]string, len(d.Axes))
	for i, a := range d.Axes {
		names[i] = a.Name
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.1, float64(len(d.Axes)-1)+0.45
	p.X.LineStyle.Width = 0
	p.X.Tick.Label.Font = font.From(bold(), 8)
	p.HideY()
	p.Y.Min, p.Y.Max = -0.03, 1.03
	p.Add(&parallelPlotter{d: d})
	f := newFigure(p)
	f.Width = max(DefaultWidth, vg.Length(len(d.Axes))*0.95*vg.Inch)
	f.Alt = "Parallel coordinates of " + info.Name
	return f, nil
}

type parallelPlotter struct{ d ParallelData }

// shade maps t in [0, 1] (1 = best) to a colour from light grey-blue to
// dark blue.
func shade(t float64) color.Color {
	stops := []color.RGBA{rgb(0xd9e2ec), rgb(0x6baed6), rgb(0x08306b)}
	t = math.Min(math.Max(t, 0), 1) * float64(len(stops)-1)
	i := min(int(t), len(stops)-2)
	f := t - float64(i)
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + f*(float64(b)-float64(a)))) }
	a, b := stops[i], stops[i+1]
	return color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
}

// Plot implements plot.Plotter.
func (pp *parallelPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	d := pp.d
	n := len(d.Lines)
	for rank, l := range d.Lines { // worst first
		t := 0.5
		if n > 1 {
			t = float64(rank) / float64(n-1)
		}
		pts := make([]vg.Point, len(l.Y))
		for k, y := range l.Y {
			pts[k] = vg.Point{X: tx(float64(k)), Y: ty(y)}
		}
		c.StrokeLines(line(shade(t), vg.Length(0.6+0.9*t)), pts)
	}
	axis := line(color.Gray{Y: 0x40}, 0.8)
	lab := text.Style{Color: color.Gray{Y: 0x20}, Font: font.From(sans, 7), Handler: plot.DefaultTextHandler,
		XAlign: draw.XLeft, YAlign: draw.YCenter}
	for k, a := range d.Axes {
		x := tx(float64(k))
		c.StrokeLine2(axis, x, ty(0), x, ty(1))
		for i, t := range a.Ticks {
			y := ty(t)
			c.StrokeLine2(axis, x-2, y, x+2, y)
			w, h := lab.Width(a.Labels[i]), lab.Height(a.Labels[i])
			bg := vg.Rectangle{Min: vg.Point{X: x + 3, Y: y - h/2}, Max: vg.Point{X: x + 5 + w, Y: y + h/2}}
			c.SetColor(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xcc})
			c.Fill(bg.Path())
			c.FillText(lab, vg.Point{X: x + 4, Y: y}, a.Labels[i])
		}
	}
}

// DataRange implements plot.DataRanger so the axes cover every line.
func (pp *parallelPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, float64(len(pp.d.Axes) - 1), 0, 1
}

var _ plot.Plotter = (*parallelPlotter)(nil)
