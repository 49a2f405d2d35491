package plots

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"github.com/morphml/morphml/core/search"
)

// ParetoOptions choose the two metrics of a Pareto figure and the
// hypervolume's reference point.
type ParetoOptions struct {
	X, Y Metric
	// Reference is the hypervolume's reference point (x, y). Empty: the
	// nadir of the Pareto front (its worst value of each metric) moved a
	// tenth of the front's range in that metric further out (a whole unit
	// when the range is 0), so that every point of the front adds to the
	// hypervolume and dominated outliers do not. The default depends on the
	// trials: compare hypervolumes only under one explicit reference.
	Reference []float64
}

// ParetoPoint is one trial in the plane of two metrics.
type ParetoPoint struct {
	Trial int
	X, Y  float64
	Front bool // no other trial is at least as good in both metrics and better in one
}

// ParetoData is what a Pareto figure draws.
type ParetoData struct {
	X, Y   Metric
	Points []ParetoPoint // every complete trial with both values, by ID
	Front  []ParetoPoint // the non-dominated points, by X ascending (ties: by Y, then ID)
	// RefX, RefY is the reference point and Hypervolume the area that the
	// front dominates up to it.
	RefX, RefY  float64
	Hypervolume float64
}

// ParetoFront extracts the points, the front and its hypervolume.
func ParetoFront(info search.StudyInfo, trials []search.Trial, opts ParetoOptions) (ParetoData, error) {
	var d ParetoData
	var err error
	if d.X, err = opts.X.resolve(info); err != nil {
		return d, fmt.Errorf("pareto x: %w", err)
	}
	if d.Y, err = opts.Y.resolve(info); err != nil {
		return d, fmt.Errorf("pareto y: %w", err)
	}
	for _, t := range byID(trials) {
		x, okx := d.X.Of(t)
		y, oky := d.Y.Of(t)
		if okx && oky {
			d.Points = append(d.Points, ParetoPoint{Trial: t.ID, X: x, Y: y})
		}
	}
	if len(d.Points) == 0 {
		return d, fmt.Errorf("pareto front of study %q (%s vs %s): no complete trial has both values", info.Name, d.X.Name, d.Y.Name)
	}
	markFront(d.Points, d.X, d.Y)
	for _, q := range d.Points {
		if q.Front {
			d.Front = append(d.Front, q)
		}
	}
	slices.SortStableFunc(d.Front, func(a, b ParetoPoint) int {
		if c := cmpFloat(a.X, b.X); c != 0 {
			return c
		}
		return cmpFloat(a.Y, b.Y)
	})
	switch len(opts.Reference) {
	case 0:
		d.RefX, d.RefY = defaultReference(d.Front, d.X, d.Y)
	case 2:
		d.RefX, d.RefY = opts.Reference[0], opts.Reference[1]
	default:
		return d, fmt.Errorf("pareto: reference point %v: want two numbers (x, y)", opts.Reference)
	}
	pts := make([][]float64, 0, len(d.Front))
	for _, p := range d.Front {
		if !math.IsNaN(p.X) && !math.IsNaN(p.Y) {
			pts = append(pts, []float64{p.X, p.Y})
		}
	}
	hv, err := search.Hypervolume2D(pts, []search.Direction{d.X.Direction, d.Y.Direction}, []float64{d.RefX, d.RefY})
	if err != nil {
		return d, fmt.Errorf("pareto: %w", err)
	}
	d.Hypervolume = hv
	return d, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// markFront sets Front on the points that no other point dominates (is at
// least as good in both metrics and better in one), in O(n log n): sorted
// best X first (best Y first among equal X), a point is dominated by an
// earlier one with a better X and a Y at least as good, or by the first
// of its own equal-X group when that has a better Y. Equal points are all
// on the front.
func markFront(pts []ParetoPoint, mx, my Metric) {
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	cmp := func(m Metric, a, b float64) int {
		switch {
		case m.better(a, b):
			return -1
		case m.better(b, a):
			return 1
		}
		return 0
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp(mx, pts[a].X, pts[b].X); c != 0 {
			return c
		}
		return cmp(my, pts[a].Y, pts[b].Y)
	})
	var bestY float64 // the best Y among points with a better X than the group's
	seen := false
	for g := 0; g < len(order); {
		h := g
		for h < len(order) && pts[order[h]].X == pts[order[g]].X {
			h++
		}
		groupY := pts[order[g]].Y
		for _, i := range order[g:h] {
			y := pts[i].Y
			pts[i].Front = !(seen && !my.better(y, bestY)) && !my.better(groupY, y)
		}
		if !seen || my.better(groupY, bestY) {
			bestY, seen = groupY, true
		}
		g = h
	}
}

func defaultReference(pts []ParetoPoint, mx, my Metric) (float64, float64) {
	ref := func(vals []float64, m Metric) float64 {
		lo, hi := slices.Min(vals), slices.Max(vals)
		pad := (hi - lo) / 10
		if pad == 0 {
			pad = 1
		}
		if m.Direction == search.Minimize {
			return hi + pad
		}
		return lo - pad
	}
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = p.X, p.Y
	}
	return ref(xs, mx), ref(ys, my)
}

// Pareto draws two metrics against each other: dominated trials faded, the
// Pareto front highlighted and joined by its attainment staircase, the
// region it dominates up to the reference point shaded, the hypervolume in
// the title.
func Pareto(info search.StudyInfo, trials []search.Trial, opts ParetoOptions) (*Figure, error) {
	d, err := ParetoFront(info, trials, opts)
	if err != nil {
		return nil, err
	}
	p := newPlot(fmt.Sprintf("Pareto front: %s (%d of %d trials on the front)\nhypervolume %s (reference %s, %s)",
		info.Name, len(d.Front), len(d.Points), num(d.Hypervolume), num(d.RefX), num(d.RefY)), d.X.Label(), d.Y.Label())
	leg := newLegend(p)
	var dom, front plotter.XYs
	for _, q := range d.Points {
		if q.Front {
			front = append(front, plotter.XY{X: q.X, Y: q.Y})
		} else {
			dom = append(dom, plotter.XY{X: q.X, Y: q.Y})
		}
	}
	// The staircase: from the front's best-x end, alternating steps, closed
	// at the reference to shade the dominated region.
	stairs := staircase(d)
	first, last := stairs[0], stairs[len(stairs)-1]
	var region plotter.XYs
	if d.X.Direction == search.Minimize { // the reference is right of the front
		region = append(append(plotter.XYs{{X: first.X, Y: d.RefY}}, stairs...),
			plotter.XY{X: d.RefX, Y: last.Y}, plotter.XY{X: d.RefX, Y: d.RefY})
	} else {
		region = append(append(plotter.XYs{{X: d.RefX, Y: d.RefY}, {X: d.RefX, Y: first.Y}}, stairs...),
			plotter.XY{X: last.X, Y: d.RefY})
	}
	if poly, err := plotter.NewPolygon(region); err == nil {
		poly.Color = faded(red, 0.08)
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	if len(dom) > 0 {
		ds, _ := plotter.NewScatter(dom)
		ds.GlyphStyle = glyph(faded(grey, 0.35), draw.CircleGlyph{}, 2.2)
		p.Add(ds)
		leg.add("dominated", ds)
	}
	sl, _ := plotter.NewLine(stairs)
	sl.LineStyle = line(red, 1.2)
	fs, _ := plotter.NewScatter(front)
	fs.GlyphStyle = glyph(red, draw.CircleGlyph{}, 3)
	ref, _ := plotter.NewScatter(plotter.XYs{{X: d.RefX, Y: d.RefY}})
	ref.GlyphStyle = glyph(grey, draw.PlusGlyph{}, 4)
	p.Add(sl, fs, ref)
	leg.add("Pareto front", sl, fs)
	leg.add("reference point", ref)
	leg.points = append(append(leg.points, dom...), front...)
	leg.lines = []plotter.XYs{stairs}
	p.Add(leg)
	xs, ys := []float64{d.RefX}, []float64{d.RefY}
	for _, q := range d.Points {
		xs, ys = append(xs, q.X), append(ys, q.Y)
	}
	p.X.Tick.Marker = ticksFor(slices.Min(xs), slices.Max(xs))
	p.Y.Tick.Marker = ticksFor(slices.Min(ys), slices.Max(ys))
	f := newFigure(p)
	f.Alt = fmt.Sprintf("Pareto front of %s: %s vs %s", info.Name, d.X.Name, d.Y.Name)
	return f, nil
}

// staircase is the boundary of the region the front dominates, from the
// front's first point (by X) to its last, with the corners between them on
// the side of the dominated region.
func staircase(d ParetoData) plotter.XYs {
	f := d.Front
	out := plotter.XYs{{X: f[0].X, Y: f[0].Y}}
	for _, q := range f[1:] {
		prev := out[len(out)-1]
		// The corner between two front points is the worse of the two in
		// each metric.
		cx, cy := q.X, prev.Y
		if d.X.better(q.X, prev.X) {
			cx = prev.X
		}
		if d.Y.better(q.Y, prev.Y) {
			cy = prev.Y
		} else {
			cy = q.Y
		}
		out = append(out, plotter.XY{X: cx, Y: cy}, plotter.XY{X: q.X, Y: q.Y})
	}
	return out
}
