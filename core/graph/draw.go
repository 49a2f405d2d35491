package graph

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DrawMaxNodes is the size above which the rich display methods (SVG, PNG,
// HTML) of an architecture that carries a cell string (Labels["cell"]) draw
// its cell instead of the whole network: NAS-Bench-201's networks have 100
// to 300 nodes, and a drawing of all of them is taller than any screen.
// NewDiagram always draws every node.
const DrawMaxNodes = 80

// DrawDPI is the resolution of the PNG that Arch.PNG renders.
const DrawDPI = 110

// Diagram is an architecture laid out for drawing: one box per node (its
// name, op with the key attributes, and output shape), one arrow per edge,
// nodes in layers from top to bottom. Layers come from a longest-path
// layering (nodes are then pulled down next to their consumers), edges that
// skip layers are routed through invisible waypoints, and the order within
// each layer minimizes crossings with barycentre sweeps and adjacent swaps:
// chains come out straight and residual shortcuts run beside the block they
// skip. A Diagram is drawn at its natural Size with Draw.
type Diagram struct {
	title  []string
	boxes  []dbox
	verts  []vert  // boxes first (index = box), then waypoints
	layers [][]int // vertices of each layer, left to right
	edges  [][]int // each edge as its vertex chain: source, waypoints, target
	layerY []vg.Length
	layerH []vg.Length
	w, h   vg.Length
}

type dbox struct {
	name, op, shape string
	fill, stroke    color.Color
	w, h            vg.Length
}

type vert struct {
	layer    int
	w, x     vg.Length
	up, down []int // neighbours in the layers above and below
}

// diagram text and spacing, in points
var (
	sansFace  = font.Font{Typeface: "Liberation", Variant: "Sans"}
	nameStyle = textStyle(6.5, xfont.WeightNormal, color.Gray{Y: 0x60})
	opStyle   = textStyle(8, xfont.WeightBold, color.Black)
	shapeStyl = textStyle(7, xfont.WeightNormal, color.Gray{Y: 0x30})
	titleStyl = textStyle(9, xfont.WeightBold, color.Black)
	subStyle  = textStyle(7.5, xfont.WeightNormal, color.Gray{Y: 0x40})
)

const (
	boxPadX, boxPadY = vg.Length(6), vg.Length(3)
	colGap           = vg.Length(14) // between neighbours in a layer
	rowGap           = vg.Length(20) // between layers
	waypointW        = vg.Length(4)
	margin           = vg.Length(8)
)

func textStyle(size vg.Length, w xfont.Weight, c color.Color) text.Style {
	f := sansFace
	f.Weight = w
	return text.Style{Color: c, Font: font.From(f, size), Handler: plot.DefaultTextHandler,
		XAlign: draw.XCenter, YAlign: draw.YTop}
}

// NewDiagram lays out every node of a. An architecture that does not
// validate is still drawn: nodes from the first invalid one on have no shape,
// and the error is shown under the title.
func NewDiagram(a *Arch) *Diagram {
	if a == nil || len(a.Nodes) == 0 {
		return layoutDiagram([]string{"(no architecture)"}, nil, nil)
	}
	shapes, err := walk(a, nil)
	title := []string{archTitle(a, err)}
	if err != nil {
		title = append(title, "invalid: "+err.Error())
	}
	boxes := make([]dbox, len(a.Nodes))
	inputs := make([][]int, len(a.Nodes))
	for i, n := range a.Nodes {
		b := dbox{op: opLine(n)}
		if n.Name != "" && n.Name != n.Op {
			b.name = n.Name
		}
		if i < len(shapes) && len(shapes[i]) > 0 {
			b.shape = shapeText(shapes[i])
		}
		b.fill, b.stroke = opColors(n.Op)
		boxes[i] = b
		for _, j := range n.Inputs {
			if j >= 0 && j < i && !slices.Contains(inputs[i], j) {
				inputs[i] = append(inputs[i], j)
			}
		}
	}
	return layoutDiagram(title, boxes, inputs)
}

func archTitle(a *Arch, err error) string {
	s := fmt.Sprintf("%d nodes", len(a.Nodes))
	if err == nil {
		if c, cerr := Count(a); cerr == nil {
			s += fmt.Sprintf(", %s parameters, %s FLOPs", compact(c.Params), compact(c.FLOPs))
		}
	}
	return s
}

// compact writes a count with three significant digits and a k/M/G
// suffix: 1234567 -> 1.23M.
func compact(n int64) string {
	f := float64(n)
	for _, u := range []struct {
		div float64
		suf string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if v := f / u.div; math.Abs(v) >= 1 {
			prec := 2 // three significant digits: 1.23M, 12.3M, 123M
			if math.Abs(v) >= 100 {
				prec = 0
			} else if math.Abs(v) >= 10 {
				prec = 1
			}
			return strconv.FormatFloat(v, 'f', prec, 64) + u.suf
		}
	}
	return strconv.FormatInt(n, 10)
}

// CellDiagram draws a cell given as a cell string in NAS-Bench-201's format,
// |op~0|+|op~0|op~1|+|op~0|op~1|op~2| (any number of nodes, any op names):
// cell node 0 is the cell's input, node i sums one edge from every earlier
// node j, each edge applies its op; "none" edges carry zeros and are left
// out. Nodes and edge ops are boxes.
func CellDiagram(cell string) (*Diagram, error) {
	return cellDiagram(cell, []string{"cell " + cell})
}

func cellDiagram(cell string, title []string) (*Diagram, error) {
	groups := strings.Split(cell, "+")
	n := len(groups) + 1
	boxes := []dbox{nodeBox(0, n)}
	inputs := [][]int{nil}
	nodeAt := []int{0} // the box of each cell node
	for g, grp := range groups {
		i := g + 1
		inner, ok := strings.CutPrefix(grp, "|")
		if ok {
			inner, ok = strings.CutSuffix(inner, "|")
		}
		if !ok {
			return nil, fmt.Errorf("cell diagram: node %d: %q is not of the form |op~j|...|", i, grp)
		}
		edges := strings.Split(inner, "|")
		if len(edges) != i {
			return nil, fmt.Errorf("cell diagram: node %d: want %d edges, got %d in %q", i, i, len(edges), grp)
		}
		var in []int
		for j, e := range edges {
			op, from, ok := strings.Cut(e, "~")
			if !ok || from != strconv.Itoa(j) || op == "" {
				return nil, fmt.Errorf("cell diagram: node %d: edge %q: want op~%d", i, e, j)
			}
			if op == "none" {
				continue
			}
			b := dbox{op: op}
			b.fill, b.stroke = opColors(op)
			boxes = append(boxes, b)
			inputs = append(inputs, []int{nodeAt[j]})
			in = append(in, len(boxes)-1)
		}
		boxes = append(boxes, nodeBox(i, n))
		inputs = append(inputs, in)
		nodeAt = append(nodeAt, len(boxes)-1)
	}
	return layoutDiagram(title, boxes, inputs), nil
}

func nodeBox(i, n int) dbox {
	b := dbox{name: "node " + strconv.Itoa(i), op: "sum"}
	switch i {
	case 0:
		b.op = "cell input"
	case n - 1:
		b.op = "sum (cell output)"
	}
	b.fill, b.stroke = opColors(OpAdd)
	if i == 0 {
		b.fill, b.stroke = opColors(OpInput)
	}
	return b
}

// opLine is the op with its key attributes, e.g. "conv2d 3×3, 16, /2".
func opLine(n Node) string {
	switch n.Op {
	case OpConv2D:
		k, s, _ := ConvGeometry(n)
		t := fmt.Sprintf("conv2d %d×%d, %d", k, k, n.Attr("filters", 0))
		if s != 1 {
			t += fmt.Sprintf(", /%d", s)
		}
		return t
	case OpMaxPool, OpAvgPool:
		p, s, _ := PoolGeometry(n)
		t := fmt.Sprintf("%s %d×%d", n.Op, p, p)
		if s != p {
			t += fmt.Sprintf(", /%d", s)
		}
		return t
	case OpDense, OpOutput:
		return fmt.Sprintf("%s %d", n.Op, n.Attr("units", 0))
	case OpDropout:
		return fmt.Sprintf("dropout %g", float64(n.Attr("rate_permille", 0))/1000)
	}
	if at := attrText(n.Attrs); at != "" {
		return n.Op + " " + at
	}
	return n.Op
}

func shapeText(s Shape) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, "×")
}

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// opColors gives the fill and border of a box by the kind of op; cell edge
// names (nor_conv_3x3, avg_pool_3x3, skip_connect) are recognised too.
func opColors(op string) (fill, stroke color.Color) {
	switch {
	case op == OpInput || op == OpOutput:
		return rgb(0xfff2cc), rgb(0xd6b656)
	case op == OpConv2D || op == OpDense || strings.Contains(op, "conv"):
		return rgb(0xdae8fc), rgb(0x6c8ebf)
	case strings.Contains(op, "pool"):
		return rgb(0xd5e8d4), rgb(0x82b366)
	case op == OpReLU || op == OpGELU || op == OpTanh || op == OpSigmoid:
		return rgb(0xffe6cc), rgb(0xd79b00)
	case op == OpAdd || op == OpConcat:
		return rgb(0xe1d5e7), rgb(0x9673a6)
	}
	return rgb(0xf5f5f5), rgb(0x999999)
}

// boxLine is one line of text in a box.
type boxLine struct {
	s   string
	sty text.Style
}

// lines are the box's name, op and shape, those that are set.
func (b *dbox) lines() []boxLine {
	var out []boxLine
	for _, l := range []boxLine{{b.name, nameStyle}, {b.op, opStyle}, {b.shape, shapeStyl}} {
		if l.s != "" {
			out = append(out, l)
		}
	}
	return out
}

// layoutDiagram places the boxes; inputs[i] lists the boxes that feed box
// i, all with smaller indices.
func layoutDiagram(title []string, boxes []dbox, inputs [][]int) *Diagram {
	d := &Diagram{title: title, boxes: boxes}
	for i := range d.boxes {
		b := &d.boxes[i]
		for _, l := range b.lines() {
			b.w = max(b.w, l.sty.Width(l.s))
			b.h += l.sty.Height(l.s)
		}
		b.w += 2 * boxPadX
		b.h += 2 * boxPadY
	}
	d.assignLayers(inputs)
	d.orderLayers()
	d.placeX()
	d.placeY()
	return d
}

// Size is the natural size of the drawing.
func (d *Diagram) Size() (w, h vg.Length) { return d.w, d.h }

// Draw draws the diagram at its natural size, centred in c.
func (d *Diagram) Draw(c draw.Canvas) {
	ox := c.Min.X + (c.Max.X-c.Min.X-d.w)/2
	top := c.Max.Y - (c.Max.Y-c.Min.Y-d.h)/2
	pt := func(x, y vg.Length) vg.Point { return vg.Point{X: ox + x, Y: top - y} }
	y := margin
	for _, t := range d.title {
		c.FillText(titleStyl, pt(d.w/2, y), t)
		y += titleStyl.Height(t) + 2
	}
	// boxes' top and bottom y and the ports where edges leave and enter
	boxTop := func(v int) vg.Length {
		l := d.verts[v].layer
		return d.layerY[l] + (d.layerH[l]-d.boxes[v].h)/2
	}
	out, in := d.ports()
	edgeStyle := draw.LineStyle{Color: color.Gray{Y: 0x55}, Width: 0.8}
	for e, ch := range d.edges {
		var pts []vg.Point
		src, dst := ch[0], ch[len(ch)-1]
		pts = append(pts, pt(d.verts[src].x+out[e], boxTop(src)+d.boxes[src].h))
		for _, w := range ch[1 : len(ch)-1] {
			l := d.verts[w].layer
			pts = append(pts, pt(d.verts[w].x, d.layerY[l]), pt(d.verts[w].x, d.layerY[l]+d.layerH[l]))
		}
		end := pt(d.verts[dst].x+in[e], boxTop(dst))
		pts = append(pts, vg.Point{X: end.X, Y: end.Y + 3.5})
		var p vg.Path
		p.Move(pts[0])
		for k := 1; k < len(pts); k++ {
			a, b := pts[k-1], pts[k]
			if k%2 == 1 { // across a gap between layers: a smooth S
				mid := (a.Y + b.Y) / 2
				p.CubeTo(vg.Point{X: a.X, Y: mid}, vg.Point{X: b.X, Y: mid}, b)
			} else {
				p.Line(b)
			}
		}
		c.SetLineStyle(edgeStyle)
		c.Stroke(p)
		var head vg.Path
		head.Move(end)
		head.Line(vg.Point{X: end.X - 2.5, Y: end.Y + 4.5})
		head.Line(vg.Point{X: end.X + 2.5, Y: end.Y + 4.5})
		head.Close()
		c.SetColor(edgeStyle.Color)
		c.Fill(head)
	}
	for i, b := range d.boxes {
		x0, y0 := d.verts[i].x-b.w/2, boxTop(i)
		r := roundRect(pt(x0, y0), pt(x0+b.w, y0+b.h), 3)
		c.SetColor(b.fill)
		c.Fill(r)
		c.SetLineStyle(draw.LineStyle{Color: b.stroke, Width: 0.8})
		c.Stroke(r)
		ly := y0 + boxPadY
		for _, l := range b.lines() {
			c.FillText(l.sty, pt(d.verts[i].x, ly), l.s)
			ly += l.sty.Height(l.s)
		}
	}
}

// ports returns, per edge, the x offsets from the centres of its source and
// target boxes: edges leaving or entering one box are spread along its side
// in the order of the vertices at their other ends.
func (d *Diagram) ports() (out, in []vg.Length) {
	out, in = make([]vg.Length, len(d.edges)), make([]vg.Length, len(d.edges))
	spread := func(idx []int, other func(e int) int, v int, dst []vg.Length) {
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmpFloat(float64(d.verts[other(a)].x), float64(d.verts[other(b)].x))
		})
		span := d.verts[v].w * 0.6
		for k, e := range idx {
			if len(idx) > 1 {
				dst[e] = span*(vg.Length(k)+0.5)/vg.Length(len(idx)) - span/2
			}
		}
	}
	bySrc, byDst := map[int][]int{}, map[int][]int{}
	for e, ch := range d.edges {
		bySrc[ch[0]] = append(bySrc[ch[0]], e)
		byDst[ch[len(ch)-1]] = append(byDst[ch[len(ch)-1]], e)
	}
	for v, es := range bySrc {
		spread(es, func(e int) int { return d.edges[e][1] }, v, out)
	}
	for v, es := range byDst {
		spread(es, func(e int) int { return d.edges[e][len(d.edges[e])-2] }, v, in)
	}
	return out, in
}

// roundRect is the outline of a rectangle from top-left a to bottom-right b
// with rounded corners, counter-clockwise.
func roundRect(a, b vg.Point, r vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: a.X + r, Y: b.Y})
	p.Line(vg.Point{X: b.X - r, Y: b.Y})
	p.Arc(vg.Point{X: b.X - r, Y: b.Y + r}, r, -math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: b.X, Y: a.Y - r})
	p.Arc(vg.Point{X: b.X - r, Y: a.Y - r}, r, 0, math.Pi/2)
	p.Line(vg.Point{X: a.X + r, Y: a.Y})
	p.Arc(vg.Point{X: a.X + r, Y: a.Y - r}, r, math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: a.X, Y: b.Y + r})
	p.Arc(vg.Point{X: a.X + r, Y: b.Y + r}, r, math.Pi, math.Pi/2)
	p.Close()
	return p
}

// DisplayDiagram is the drawing the rich display methods show: the whole
// network, or for an architecture of more than DrawMaxNodes nodes with a
// cell string (Labels["cell"]) its cell, titled with the network's size.
func DisplayDiagram(a *Arch) *Diagram {
	if a == nil || len(a.Nodes) <= DrawMaxNodes || a.Labels["cell"] == "" {
		return NewDiagram(a)
	}
	name := "Cell " + a.Labels["cell"]
	if a.Labels["nb201"] != "" {
		name = "NAS-Bench-201 cell " + a.Labels["nb201"]
	}
	_, err := walk(a, nil)
	d, cerr := cellDiagram(a.Labels["cell"], []string{name, "of a network of " + archTitle(a, err)})
	if cerr != nil {
		return NewDiagram(a)
	}
	return d
}

// SVG draws the architecture (see DisplayDiagram) as an SVG document: the
// rich display hook of notebook kernels.
func (a *Arch) SVG() string { return DisplayDiagram(a).SVG() }

// PNG draws the architecture (see DisplayDiagram) as a PNG image at
// DrawDPI.
func (a *Arch) PNG() []byte { return DisplayDiagram(a).PNG() }

// HTML is an <img> element holding the PNG of the architecture (see
// DisplayDiagram).
func (a *Arch) HTML() string { return DisplayDiagram(a).HTML() }

// SVG renders the diagram as an SVG document ("" if drawing fails). Text
// uses the Liberation Sans font, with Arial and any sans-serif font as
// fallbacks (Liberation Sans has Arial's metrics).
func (d *Diagram) SVG() string {
	c := vgsvg.New(d.w, d.h)
	if !d.safeDraw(draw.New(c)) {
		return ""
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return ""
	}
	return fontFallback.Replace(b.String())
}

var fontFallback = strings.NewReplacer(
	"font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;",
	"font-family:Liberation Serif;", "font-family:'Liberation Serif','Times New Roman',serif;")

// PNG renders the diagram as a PNG image at DrawDPI on a white background
// (nil if drawing fails).
func (d *Diagram) PNG() []byte {
	c := vgimg.NewWith(vgimg.UseWH(d.w, d.h), vgimg.UseDPI(DrawDPI))
	if !d.safeDraw(draw.New(c)) {
		return nil
	}
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
		return nil
	}
	return b.Bytes()
}

// safeDraw draws and reports whether the drawing library finished without
// a panic (rich display must not crash a notebook).
func (d *Diagram) safeDraw(c draw.Canvas) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	d.Draw(c)
	return true
}

// HTML is an <img> element holding the PNG, displayed at the diagram's
// natural size.
func (d *Diagram) HTML() string {
	return fmt.Sprintf(`<img alt="%s" width="%d" src="data:image/png;base64,%s">`,
		html.EscapeString(strings.Join(d.title, " ")), int(math.Round(d.w.Dots(96))),
		base64.StdEncoding.EncodeToString(d.PNG()))
}
