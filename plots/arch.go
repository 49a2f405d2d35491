package plots

import (
	"gonum.org/v1/plot/vg/draw"

	"github.com/morphml/morphml/core/graph"
)

// Arch draws an architecture as graph.DisplayDiagram does: every node as a
// box (name, op with its key attributes, output shape) and every edge as an
// arrow, from the input at the top to the output at the bottom; a network of
// more than graph.DrawMaxNodes nodes that carries a cell string (as every
// NAS-Bench-201 network does) is drawn as its cell. The figure has the
// diagram's natural size.
func Arch(a *graph.Arch) *Figure { return diagramFigure(graph.DisplayDiagram(a)) }

// ArchFull draws every node of an architecture, however large.
func ArchFull(a *graph.Arch) *Figure { return diagramFigure(graph.NewDiagram(a)) }

// Cell draws a cell string such as NAS-Bench-201's
// |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|:
// the cell's nodes and the op of every edge as boxes; "none" edges are left
// out.
func Cell(cell string) (*Figure, error) {
	d, err := graph.CellDiagram(cell)
	if err != nil {
		return nil, err
	}
	return diagramFigure(d), nil
}

func diagramFigure(d *graph.Diagram) *Figure {
	w, h := d.Size()
	return &Figure{Width: w, Height: h, DPI: graph.DrawDPI, Alt: "architecture diagram",
		paint: func(c draw.Canvas) {
			c.SetColor(white)
			c.Fill(c.Rectangle.Path())
			d.Draw(c)
		}}
}
