package graph

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -draw.out DIR writes the test diagrams as PNG files, to look at them.
var drawOut = flag.String("draw.out", "", "write the test diagrams as PNG files into this folder")

// residualNet is a stem, two residual blocks (the second with a projection
// shortcut) and a head.
func residualNet() *Arch { return resNet(16, 16, 32) }

// resNet is a stem and one residual block per width, each but the first
// halving the image with a projection shortcut, and a head.
func resNet(widths ...int) *Arch {
	a := &Arch{Input: Shape{3, 32, 32}}
	x := a.Add(OpInput, nil)
	x = a.Add(OpConv2D, at{"filters": widths[0], "kernel": 3}, x)
	block := func(x, filters, stride int) int {
		y := a.Add(OpConv2D, at{"filters": filters, "kernel": 3, "stride": stride}, x)
		y = a.Add(OpBatchNorm, nil, y)
		y = a.Add(OpReLU, nil, y)
		y = a.Add(OpConv2D, at{"filters": filters, "kernel": 3}, y)
		y = a.Add(OpBatchNorm, nil, y)
		s := x
		if stride != 1 {
			s = a.Add(OpConv2D, at{"filters": filters, "kernel": 1, "stride": stride, "padding": 0}, x)
		}
		return a.Add(OpAdd, nil, y, s)
	}
	for i, w := range widths[1:] {
		stride := 2
		if i == 0 || w == widths[i] {
			stride = 1
		}
		x = block(x, w, stride)
	}
	x = a.Add(OpGlobalAvg, nil, x)
	a.Add(OpOutput, at{"units": 10}, x)
	return a
}

// inception has four parallel branches joined by a concat.
func inception() *Arch {
	a := &Arch{Input: Shape{8, 16, 16}}
	in := a.Add(OpInput, nil)
	b1 := a.Add(OpConv2D, at{"filters": 4, "kernel": 1}, in)
	b2 := a.Add(OpConv2D, at{"filters": 4, "kernel": 1}, in)
	b2 = a.Add(OpConv2D, at{"filters": 4, "kernel": 3}, b2)
	b3 := a.Add(OpMaxPool, at{"pool": 3, "stride": 1, "padding": 1}, in)
	b4 := a.Add(OpIdentity, nil, in)
	x := a.Add(OpConcat, nil, b1, b2, b3, b4)
	x = a.Add(OpGlobalAvg, nil, x)
	a.Add(OpOutput, at{"units": 2}, x)
	return a
}

const nb201Cell = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"

func writeDiagram(t *testing.T, name string, d *Diagram) {
	t.Helper()
	if *drawOut == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(*drawOut, name+".png"), d.PNG(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkLayout asserts what every layout must satisfy: edges point down,
// boxes in a layer do not overlap and stay inside the drawing.
func checkLayout(t *testing.T, d *Diagram) {
	t.Helper()
	for _, ch := range d.edges {
		for k := 1; k < len(ch); k++ {
			if d.verts[ch[k]].layer != d.verts[ch[k-1]].layer+1 {
				t.Errorf("edge %v: step %d goes from layer %d to %d", ch, k, d.verts[ch[k-1]].layer, d.verts[ch[k]].layer)
			}
		}
	}
	for l, ly := range d.layers {
		for k, v := range ly {
			vx := d.verts[v]
			if vx.layer != l {
				t.Errorf("vertex %d listed in layer %d has layer %d", v, l, vx.layer)
			}
			if vx.x-vx.w/2 < -0.01 || vx.x+vx.w/2 > d.w+0.01 {
				t.Errorf("vertex %d [%v, %v] is outside the width %v", v, vx.x-vx.w/2, vx.x+vx.w/2, d.w)
			}
			if k > 0 {
				u := d.verts[ly[k-1]]
				if gap := (vx.x - vx.w/2) - (u.x + u.w/2); gap < colGap-0.01 {
					t.Errorf("layer %d: vertices %d and %d are %v apart, want at least %v", l, ly[k-1], v, gap, colGap)
				}
			}
		}
	}
}

func TestDiagramLayouts(t *testing.T) {
	cell, err := CellDiagram(nb201Cell)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name      string
		d         *Diagram
		boxes     int
		layers    int
		crossings int
		straight  bool // every box of the main chain has the same x
	}{
		{"chain", NewDiagram(smallCNN()), 10, 10, 0, true},
		{"residual", NewDiagram(residualNet()), 17, 16, 0, false},
		{"inception", NewDiagram(inception()), 9, 6, 0, false},
		{"nb201-cell", cell, 10, 7, 0, false},
		{"deep-resnet", NewDiagram(resNet(16, 16, 16, 32, 32, 64, 64, 64, 128, 128)), 61, 58, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writeDiagram(t, c.name, c.d)
			checkLayout(t, c.d)
			if len(c.d.boxes) != c.boxes || len(c.d.layers) != c.layers {
				t.Errorf("%d boxes in %d layers, want %d in %d", len(c.d.boxes), len(c.d.layers), c.boxes, c.layers)
			}
			if got := c.d.crossings(); got != c.crossings {
				t.Errorf("%d crossings, want %d", got, c.crossings)
			}
			if c.straight {
				for i := range c.d.boxes {
					if math.Abs(float64(c.d.verts[i].x-c.d.verts[0].x)) > 0.01 {
						t.Errorf("box %d at x=%v, box 0 at %v: a chain should be straight", i, c.d.verts[i].x, c.d.verts[0].x)
					}
				}
			}
		})
	}
}

func TestDiagramResidualShortcut(t *testing.T) {
	a := residualNet()
	d := NewDiagram(a)
	// The identity shortcut of the first block (node 1 -> node 7) skips 5
	// layers through waypoints beside the block, all in one column.
	var chain []int
	for _, ch := range d.edges {
		if ch[0] == 1 && ch[len(ch)-1] == 7 {
			chain = ch
		}
	}
	if len(chain) != 7 {
		t.Fatalf("shortcut 1->7 routed as %v, want 5 waypoints", chain)
	}
	for _, w := range chain[2 : len(chain)-1] {
		if math.Abs(float64(d.verts[w].x-d.verts[chain[1]].x)) > 0.01 {
			t.Errorf("shortcut waypoints are not in one column: %v vs %v", d.verts[w].x, d.verts[chain[1]].x)
		}
	}
	// The projection (node 13, conv 1x1) is pulled down next to its add.
	if d.verts[13].layer != d.verts[14].layer-1 {
		t.Errorf("projection in layer %d, its add in %d", d.verts[13].layer, d.verts[14].layer)
	}
}

func TestDiagramText(t *testing.T) {
	a := residualNet()
	a.Nodes[1].Name = "stem"
	d := NewDiagram(a)
	b := d.boxes[1]
	if b.name != "stem" || b.op != "conv2d 3×3, 16" || b.shape != "16×32×32" {
		t.Errorf("box 1: %+v", b)
	}
	if b := d.boxes[8]; b.op != "conv2d 3×3, 32, /2" || b.shape != "32×16×16" {
		t.Errorf("box 8: %+v", b)
	}
	if !strings.HasPrefix(d.title[0], "17 nodes, ") || !strings.Contains(d.title[0], "k parameters") {
		t.Errorf("title %q", d.title)
	}
	bad := smallCNN()
	bad.Nodes[7] = Node{Op: OpDense, Attrs: at{"units": 4}, Inputs: []int{5}} // dense on an image
	d = NewDiagram(bad)
	if len(d.title) != 2 || !strings.Contains(d.title[1], "invalid: node 7") {
		t.Errorf("invalid arch title %q", d.title)
	}
	if d.boxes[6].shape == "" || d.boxes[7].shape != "" {
		t.Errorf("shapes of an invalid arch: %q, %q", d.boxes[6].shape, d.boxes[7].shape)
	}
}

func TestCellDiagram(t *testing.T) {
	d, err := CellDiagram("|none~0|+|nor_conv_1x1~0|none~1|+|none~0|avg_pool_3x3~1|skip_connect~2|")
	if err != nil {
		t.Fatal(err)
	}
	var ops []string
	for _, b := range d.boxes {
		ops = append(ops, b.op)
	}
	want := "cell input,sum,nor_conv_1x1,sum,avg_pool_3x3,skip_connect,sum (cell output)"
	if got := strings.Join(ops, ","); got != want {
		t.Errorf("boxes %s, want %s (none edges left out)", got, want)
	}
	checkLayout(t, d)
	for _, bad := range []struct{ cell, want string }{
		{"|conv~0|+|conv~0|", "want 2 edges"},
		{"|conv~1|", "want op~0"},
		{"conv~0", "not of the form"},
		{"|~0|", "want op~0"},
	} {
		if _, err := CellDiagram(bad.cell); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("CellDiagram(%q) = %v, want an error with %q", bad.cell, err, bad.want)
		}
	}
}

func TestDisplayDiagram(t *testing.T) {
	// A long chain with a cell label draws its cell; a short one the network.
	long := &Arch{Input: Shape{4}, Labels: map[string]string{"cell": nb201Cell, "nb201": nb201Cell}}
	x := long.Add(OpInput, nil)
	for range DrawMaxNodes + 5 {
		x = long.Add(OpReLU, nil, x)
	}
	d := DisplayDiagram(long)
	if len(d.boxes) != 10 || !strings.HasPrefix(d.title[0], "NAS-Bench-201 cell |nor_conv") || !strings.Contains(d.title[1], "86 nodes") {
		t.Errorf("display of a big cell network: %d boxes, title %q", len(d.boxes), d.title)
	}
	checkLayout(t, d)
	writeDiagram(t, "display-cell", d)
	long.Nodes = long.Nodes[:20]
	if d := DisplayDiagram(long); len(d.boxes) != 20 {
		t.Errorf("display of a small network: %d boxes", len(d.boxes))
	}
	if d := DisplayDiagram(nil); len(d.boxes) != 0 || d.title[0] != "(no architecture)" {
		t.Errorf("nil arch: %+v", d)
	}
}

func TestArchRichDisplay(t *testing.T) {
	a := smallCNN()
	img, err := png.Decode(bytes.NewReader(a.PNG()))
	if err != nil {
		t.Fatal(err)
	}
	w, h := NewDiagram(a).Size()
	if b := img.Bounds(); math.Abs(float64(b.Dx())-w.Dots(DrawDPI)) > 1 || math.Abs(float64(b.Dy())-h.Dots(DrawDPI)) > 1 {
		t.Errorf("PNG is %v, want %.0fx%.0f", b, w.Dots(DrawDPI), h.Dots(DrawDPI))
	}
	svg := a.SVG()
	for _, want := range []string{"<svg", "conv2d 3×3, 8", "1×28×28", "Arial", "dropout 0.2"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if h := a.HTML(); !strings.HasPrefix(h, `<img alt="10 nodes, `) || !strings.Contains(h, "base64,iVBOR") {
		t.Errorf("HTML %.120s", h)
	}
	var nilArch *Arch
	if !strings.Contains(nilArch.SVG(), "(no architecture)") {
		t.Error("a nil arch's SVG does not say so")
	}
}

func TestIsotonic(t *testing.T) {
	cases := []struct {
		want, wt, gap, out []float64
	}{
		{[]float64{0, 10}, []float64{1, 1}, []float64{0, 4}, []float64{0, 10}},
		{[]float64{0, 0}, []float64{1, 1}, []float64{0, 4}, []float64{-2, 2}},
		{[]float64{0, 0}, []float64{3, 1}, []float64{0, 4}, []float64{-1, 3}},
		{[]float64{6, 0, 0}, []float64{1, 1, 1}, []float64{0, 2, 2}, []float64{0, 2, 4}},
	}
	for _, c := range cases {
		got := isotonic(c.want, c.wt, c.gap)
		if fmt.Sprint(got) != fmt.Sprint(c.out) {
			t.Errorf("isotonic(%v, %v, %v) = %v, want %v", c.want, c.wt, c.gap, got, c.out)
		}
	}
}
