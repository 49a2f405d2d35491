package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend is a plotter added last: the legend, on a translucent white box,
// in the corner of the data area that covers the fewest data points.
type legend struct {
	plot.Legend
	names  []string
	points plotter.XYs   // where the data lies, in data coordinates
	lines  []plotter.XYs // polylines drawn, whose segments count too
}

func newLegend(p *plot.Plot) *legend {
	l := &legend{Legend: plot.NewLegend()}
	l.TextStyle = p.Legend.TextStyle
	l.ThumbnailWidth = 18
	return l
}

func (l *legend) add(name string, thumbs ...plot.Thumbnailer) {
	l.Add(name, thumbs...)
	l.names = append(l.names, name)
}

// Plot implements plot.Plotter.
func (l *legend) Plot(c draw.Canvas, p *plot.Plot) {
	if len(l.names) == 0 {
		return
	}
	const inset, pad, slack = vg.Length(5), vg.Length(4), vg.Length(8)
	var tw, eh vg.Length
	for _, n := range l.names {
		tw = max(tw, l.TextStyle.Width(n))
		eh = max(eh, l.TextStyle.Height(n))
	}
	w := l.ThumbnailWidth + l.TextStyle.Width(" ") + tw + 2*pad
	h := vg.Length(len(l.names))*eh + vg.Length(len(l.names)-1)*l.Padding + 2*pad
	tx, ty := p.Transforms(&c)
	corners := []struct{ top, left bool }{{true, false}, {true, true}, {false, false}, {false, true}}
	best, bestN := 0, -1
	rects := make([]vg.Rectangle, len(corners))
	for k, cn := range corners {
		r := vg.Rectangle{Min: vg.Point{X: c.Max.X - inset - w, Y: c.Max.Y - inset - h}}
		if cn.left {
			r.Min.X = c.Min.X + inset
		}
		if !cn.top {
			r.Min.Y = c.Min.Y + inset
		}
		r.Max = vg.Point{X: r.Min.X + w, Y: r.Min.Y + h}
		rects[k] = r
		n := 0
		in := func(x, y vg.Length) bool {
			return x >= r.Min.X-slack && x <= r.Max.X+slack && y >= r.Min.Y-slack && y <= r.Max.Y+slack
		}
		for _, pt := range l.points {
			if in(tx(pt.X), ty(pt.Y)) {
				n++
			}
		}
		for _, ln := range l.lines { // sample every segment
			for i := 1; i < len(ln); i++ {
				x0, y0, x1, y1 := tx(ln[i-1].X), ty(ln[i-1].Y), tx(ln[i].X), ty(ln[i].Y)
				for s := range 16 {
					f := vg.Length(s) / 15
					if in(x0+f*(x1-x0), y0+f*(y1-y0)) {
						n++
					}
				}
			}
		}
		if bestN < 0 || n < bestN {
			best, bestN = k, n
		}
	}
	r := rects[best]
	c.SetColor(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xdd})
	c.Fill(r.Path())
	c.SetLineStyle(line(color.Gray{Y: 0xcc}, 0.5))
	c.Stroke(r.Path())
	l.Top, l.Left = corners[best].top, corners[best].left
	inner := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: r.Min.X + pad, Y: r.Min.Y + pad}, Max: vg.Point{X: r.Max.X - pad, Y: r.Max.Y - pad}}}
	l.Legend.Draw(inner)
}
