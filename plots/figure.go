package plots

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default figure size and resolution: 6 x 4 inches at 110 dots per inch
// (660 x 440 pixels) reads well in a notebook and in a README.
const (
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 4 * vg.Inch
	DefaultDPI    = 110
)

// Figure is a finished picture: render it with PNG, SVG or HTML (the rich
// display methods notebook kernels look for) or write it with Save. Width,
// Height and DPI may be changed before rendering.
type Figure struct {
	Width, Height vg.Length
	DPI           int
	// Alt describes the figure in words (the alt text of HTML).
	Alt   string
	plot  *plot.Plot
	paint func(draw.Canvas)
}

// newFigure wraps a single plot at the default size.
func newFigure(p *plot.Plot) *Figure {
	return &Figure{Width: DefaultWidth, Height: DefaultHeight, DPI: DefaultDPI, Alt: p.Title.Text,
		plot: p, paint: p.Draw}
}

// Plot returns the gonum plot the figure draws, to adjust it (axis ranges,
// titles, more plotters) before rendering; nil for figures that are not a
// single plot (architecture diagrams, stacked panels).
func (f *Figure) Plot() *plot.Plot { return f.plot }

// Draw draws the figure on a canvas (to compose figures with gonum/plot).
func (f *Figure) Draw(c draw.Canvas) error { return f.safePaint(c) }

// PNG renders the figure as a PNG image (nil if rendering fails, which
// needs a broken font or out of memory).
func (f *Figure) PNG() []byte {
	var b bytes.Buffer
	if err := f.writePNG(&b); err != nil {
		return nil
	}
	return b.Bytes()
}

func (f *Figure) writePNG(b *bytes.Buffer) error {
	dpi := f.DPI
	if dpi <= 0 {
		dpi = DefaultDPI
	}
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(dpi))
	if err := f.safePaint(draw.New(c)); err != nil {
		return err
	}
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(b)
	return err
}

// safePaint draws the figure and turns a panic of the drawing library into
// an error.
func (f *Figure) safePaint(c draw.Canvas) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("draw figure %q: %v", f.Alt, p)
		}
	}()
	f.paint(c)
	return nil
}

// SVG renders the figure as an SVG document. Text names the Liberation
// fonts gonum/plot measures with, and falls back to their metric twins
// (Arial, Times New Roman) and the generic families.
func (f *Figure) SVG() string {
	s, err := f.svg()
	if err != nil {
		return ""
	}
	return s
}

func (f *Figure) svg() (string, error) {
	c := vgsvg.New(f.Width, f.Height)
	if err := f.safePaint(draw.New(c)); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	return fontFallback.Replace(b.String()), nil
}

var fontFallback = strings.NewReplacer(
	"font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;",
	"font-family:Liberation Serif;", "font-family:'Liberation Serif','Times New Roman',serif;")

// HTML is an <img> element holding the PNG, displayed at the figure's size
// in CSS pixels (96 per inch), so a high-resolution PNG stays sharp.
func (f *Figure) HTML() string {
	return fmt.Sprintf(`<img alt="%s" width="%d" height="%d" src="data:image/png;base64,%s">`,
		html.EscapeString(f.Alt), int(math.Round(f.Width.Dots(96))), int(math.Round(f.Height.Dots(96))),
		base64.StdEncoding.EncodeToString(f.PNG()))
}

// Save writes the figure to a file whose extension says the format: .png
// or .svg.
func (f *Figure) Save(path string) error {
	var data []byte
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		var b bytes.Buffer
		if err := f.writePNG(&b); err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
		data = b.Bytes()
	case ".svg":
		s, err := f.svg()
		if err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
		data = []byte(s)
	default:
		return fmt.Errorf("save %s: unknown image format %q (want .png or .svg)", path, ext)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("save figure: %w", err)
	}
	return nil
}

// The look shared by every figure: Liberation Sans, a light grid, a palette
// of well-separated colours (matplotlib's default cycle).
var (
	sans    = font.Font{Typeface: "Liberation", Variant: "Sans"}
	palette = []color.Color{rgb(0x1f77b4), rgb(0xff7f0e), rgb(0x2ca02c), rgb(0xd62728),
		rgb(0x9467bd), rgb(0x8c564b), rgb(0xe377c2), rgb(0x7f7f7f), rgb(0xbcbd22), rgb(0x17becf)}
	blue, orange, red, grey = palette[0], palette[1], palette[3], palette[7]
	white                   = color.White
)

func rgb(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// faded is the opaque colour c with opacity a.
func faded(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA64{R: uint16(r), G: uint16(g), B: uint16(b), A: uint16(a * 0xffff)}
}

// newPlot returns a plot with the shared look.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(bold(), 11)
	p.Title.Padding = 6
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, 9.5)
		ax.Tick.Label.Font = font.From(sans, 8.5)
		ax.Padding = 2
	}
	p.Legend.TextStyle.Font = font.From(sans, 8.5)
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = color.Gray{Y: 0xe4}, color.Gray{Y: 0xe4}
	grid.Vertical.Width, grid.Horizontal.Width = 0.5, 0.5
	p.Add(grid)
	return p
}

func bold() font.Font {
	f := sans
	f.Weight = xfont.WeightBold
	return f
}

// glyph is a filled marker style.
func glyph(c color.Color, shape draw.GlyphDrawer, r vg.Length) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Shape: shape, Radius: r}
}

func line(c color.Color, w vg.Length, dashes ...vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: w, Dashes: dashes}
}

// intTicks are gonum's default ticks for an axis of whole numbers (trial
// IDs, steps, queries): labels without decimals, none between integers.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if t.Label != "" {
			if t.Value != math.Trunc(t.Value) {
				t.Label = ""
			} else {
				t.Label = strconv.FormatFloat(t.Value, 'f', -1, 64)
			}
		}
		out = append(out, t)
	}
	return out
}

// compactTicks are gonum's default ticks labelled with a k, M or G suffix
// (200k, 1.5M), for counts such as parameters and FLOPs.
type compactTicks struct{}

// Ticks implements plot.Ticker.
func (compactTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := (plot.DefaultTicks{}).Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = compact(t.Value)
		}
	}
	return ticks
}

// compact writes v with a k, M or G suffix and no trailing zeros.
func compact(v float64) string {
	for _, u := range []struct {
		div float64
		suf string
	}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(v) >= u.div {
			return strconv.FormatFloat(v/u.div, 'f', -1, 64) + u.suf
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ticksFor picks the tick labels of an axis showing values in [lo, hi].
func ticksFor(lo, hi float64) plot.Ticker {
	if max(math.Abs(lo), math.Abs(hi)) >= 1e5 {
		return compactTicks{}
	}
	return plot.DefaultTicks{}
}

// num writes v with four significant digits, large values with a k, M or
// G suffix (1.143M).
func num(v float64) string {
	if math.Abs(v) >= 1e5 && math.Abs(v) < 1e12 {
		for _, u := range []struct {
			div float64
			suf string
		}{{1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
			if math.Abs(v) >= u.div {
				return strconv.FormatFloat(v/u.div, 'g', 4, 64) + u.suf
			}
		}
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}
