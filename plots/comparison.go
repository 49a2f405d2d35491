package plots

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/plot/plotter"

	"github.com/morphml/morphml/core/bench"
)

// Curve is one optimizer's mean and standard deviation, over runs, of a
// quantity after each query: Mean[q-1] after q queries.
type Curve struct {
	Name      string
	Mean, Std []float64
}

// ComparisonData is what the optimizer-comparison figure draws.
type ComparisonData struct {
	Title, XLabel, YLabel string
	Curves                []Curve
	// Reference is drawn as a dashed horizontal line labelled
	// ReferenceLabel (e.g. the best result the protocol allows) when
	// ReferenceLabel is not empty.
	Reference      float64
	ReferenceLabel string
}

// NB201ComparisonData turns a NAS-Bench-201 benchmark report into curves:
// the mean ± standard deviation over runs of the 200-epoch test accuracy of
// each run's pick after every query, for the optimizer and the baseline,
// with the test accuracy of the best-validation cell as the reference.
func NB201ComparisonData(r *bench.NB201Report) ComparisonData {
	d := ComparisonData{
		Title:  fmt.Sprintf("NAS-Bench-201 %s: test accuracy of the pick, mean ± std over %d runs", r.Dataset, r.Runs),
		XLabel: "queries (trials)", YLabel: "200-epoch test accuracy of the pick (%)",
		Reference: r.OracleTest, ReferenceLabel: "best-validation cell",
	}
	for _, a := range []*bench.NB201Arm{&r.Optimizer, r.Baseline} {
		if a != nil {
			d.Curves = append(d.Curves, Curve{Name: a.Optimizer, Mean: a.Curve, Std: a.CurveStd})
		}
	}
	return d
}

// Comparison draws each curve's mean as a line over a band of ± one
// standard deviation, against the number of queries. The y axis covers
// the curves from the first tenth of the queries on.
func Comparison(d ComparisonData) (*Figure, error) {
	if len(d.Curves) == 0 {
		return nil, errors.New("comparison: no curves")
	}
	p := newPlot(d.Title, d.XLabel, d.YLabel)
	p.X.Tick.Marker = intTicks{}
	leg := newLegend(p)
	for i, c := range d.Curves {
		if len(c.Mean) == 0 || (len(c.Std) != 0 && len(c.Std) != len(c.Mean)) {
			return nil, fmt.Errorf("comparison: curve %q has %d means and %d standard deviations", c.Name, len(c.Mean), len(c.Std))
		}
		col := palette[i%len(palette)]
		mean := make(plotter.XYs, 0, len(c.Mean))
		var band plotter.XYs
		for q, m := range c.Mean {
			if math.IsNaN(m) {
				continue
			}
			mean = append(mean, plotter.XY{X: float64(q + 1), Y: m})
		}
		if len(mean) == 0 {
			return nil, fmt.Errorf("comparison: curve %q has no values", c.Name)
		}
		if len(c.Std) > 0 {
			for q := range c.Mean {
				if !math.IsNaN(c.Mean[q]) && !math.IsNaN(c.Std[q]) {
					band = append(band, plotter.XY{X: float64(q + 1), Y: c.Mean[q] + c.Std[q]})
				}
			}
			for q := len(c.Mean) - 1; q >= 0; q-- {
				if !math.IsNaN(c.Mean[q]) && !math.IsNaN(c.Std[q]) {
					band = append(band, plotter.XY{X: float64(q + 1), Y: c.Mean[q] - c.Std[q]})
				}
			}
		}
		l, err := plotter.NewLine(mean)
		if err != nil {
			return nil, fmt.Errorf("comparison: curve %q: %w", c.Name, err)
		}
		l.LineStyle = line(col, 1.6)
		if len(band) >= 3 {
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, fmt.Errorf("comparison: curve %q: %w", c.Name, err)
			}
			poly.Color = faded(col, 0.18)
			poly.LineStyle.Width = 0
			p.Add(poly)
			leg.add(c.Name+" (mean ± std)", poly, l)
		} else {
			leg.add(c.Name, l)
		}
		p.Add(l)
		leg.lines = append(leg.lines, mean, band)
	}
	if d.ReferenceLabel != "" && !math.IsNaN(d.Reference) {
		last := 1.0
		for _, c := range d.Curves {
			last = max(last, float64(len(c.Mean)))
		}
		ref, _ := plotter.NewLine(plotter.XYs{{X: 1, Y: d.Reference}, {X: last, Y: d.Reference}})
		ref.LineStyle = line(grey, 1, 4, 3)
		leg.lines = append(leg.lines, ref.XYs)
		p.Add(ref)
		leg.add(d.ReferenceLabel, ref)
	}
	p.Add(leg)
	p.Y.Min, p.Y.Max = yRange(d)
	f := newFigure(p)
	f.Alt = d.Title
	return f, nil
}

// yRange covers the bands from the first tenth of the queries on (and the
// reference): the spread of the first few queries, where every optimizer
// is still sampling at random, would flatten the rest. Earlier parts are
// clipped.
func yRange(d ComparisonData) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, c := range d.Curves {
		for q := len(c.Mean) / 10; q < len(c.Mean); q++ {
			m, s := c.Mean[q], 0.0
			if q < len(c.Std) && !math.IsNaN(c.Std[q]) {
				s = c.Std[q]
			}
			if !math.IsNaN(m) {
				lo, hi = min(lo, m-s), max(hi, m+s)
			}
		}
	}
	if d.ReferenceLabel != "" && !math.IsNaN(d.Reference) {
		lo, hi = min(lo, d.Reference), max(hi, d.Reference)
	}
	pad := (hi - lo) * 0.08
	if pad == 0 {
		pad = 1
	}
	return lo - pad, hi + pad
}
