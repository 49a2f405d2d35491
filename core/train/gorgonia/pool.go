package gorgonia

import (
	"math"

	"gorgonia.org/tensor"
)

// poolKernel is max or average pooling over square windows of NCHW data.
// Positions in the padding are ignored: a max never picks them and an
// average divides by the number of real positions in the window (PyTorch's
// count_include_pad=False, as NAS-Bench-201's avg_pool_3x3 uses).
type poolKernel struct {
	name           string
	max            bool
	b, c, h, w     int
	k, stride, pad int
	oh, ow         int
	needDX         bool
	threads        int
	arg            []int32 // max: the input position each output came from
}

func newPool(name string, max bool, in tensor.Shape, k, stride, pad int, needDX bool, threads int) *poolKernel {
	p := &poolKernel{name: name, max: max, b: in[0], c: in[1], h: in[2], w: in[3], k: k, stride: stride, pad: pad, needDX: needDX, threads: threads}
	p.oh = (p.h+2*pad-k)/stride + 1
	p.ow = (p.w+2*pad-k)/stride + 1
	if max {
		p.arg = make([]int32, p.b*p.c*p.oh*p.ow)
	}
	return p
}

func (p *poolKernel) label() string       { return p.name }
func (p *poolKernel) shape() tensor.Shape { return tensor.Shape{p.b, p.c, p.oh, p.ow} }
func (p *poolKernel) diff() []bool        { return []bool{p.needDX} }

// window returns the clipped window [y0, y1) x [x0, x1) of output (oy, ox).
func (p *poolKernel) window(oy, ox int) (y0, y1, x0, x1 int) {
	y0, x0 = oy*p.stride-p.pad, ox*p.stride-p.pad
	y1, x1 = min(y0+p.k, p.h), min(x0+p.k, p.w)
	return max(y0, 0), y1, max(x0, 0), x1
}

func (p *poolKernel) forward(out []float32, in [][]float32) {
	workers(p.threadsFor(), p.b*p.c, func(_, lo, hi int) { p.fwd(out, in[0], lo, hi) })
}

// threadsFor is the number of threads worth using.
func (p *poolKernel) threadsFor() int {
	if p.b*p.c*p.h*p.w < 1<<15 {
		return 1
	}
	return p.threads
}

// fwd pools the planes [lo, hi).
func (p *poolKernel) fwd(out, x []float32, lo, hi int) {
	hw, ohw := p.h*p.w, p.oh*p.ow
	for pl := lo; pl < hi; pl++ {
		src := x[pl*hw : (pl+1)*hw]
		dst := out[pl*ohw : (pl+1)*ohw]
		for oy := 0; oy < p.oh; oy++ {
			for ox := 0; ox < p.ow; ox++ {
				y0, y1, x0, x1 := p.window(oy, ox)
				o := oy*p.ow + ox
				if p.max {
					best, at := float32(math.Inf(-1)), y0*p.w+x0
					for y := y0; y < y1; y++ {
						for xx := x0; xx < x1; xx++ {
							if v := src[y*p.w+xx]; v > best {
								best, at = v, y*p.w+xx
							}
						}
					}
					dst[o] = best
					p.arg[pl*ohw+o] = int32(at)
					continue
				}
				var sum float32
				for y := y0; y < y1; y++ {
					for _, v := range src[y*p.w+x0 : y*p.w+x1] {
						sum += v
					}
				}
				dst[o] = sum / float32((y1-y0)*(x1-x0))
			}
		}
	}
}

func (p *poolKernel) backward(_ int, dst []float32, _ [][]float32, _, dout []float32) {
	workers(p.threadsFor(), p.b*p.c, func(_, lo, hi int) { p.bwd(dst, dout, lo, hi) })
}

// bwd spreads the gradient of the planes [lo, hi).
func (p *poolKernel) bwd(dst, dout []float32, lo, hi int) {
	hw, ohw := p.h*p.w, p.oh*p.ow
	clear(dst[lo*hw : hi*hw])
	for pl := lo; pl < hi; pl++ {
		dx := dst[pl*hw : (pl+1)*hw]
		dy := dout[pl*ohw : (pl+1)*ohw]
		if p.max {
			for o, at := range p.arg[pl*ohw : (pl+1)*ohw] {
				dx[at] += dy[o]
			}
			continue
		}
		for oy := 0; oy < p.oh; oy++ {
			for ox := 0; ox < p.ow; ox++ {
				y0, y1, x0, x1 := p.window(oy, ox)
				g := dy[oy*p.ow+ox] / float32((y1-y0)*(x1-x0))
				for y := y0; y < y1; y++ {
					row := dx[y*p.w+x0 : y*p.w+x1]
					for j := range row {
						row[j] += g
					}
				}
			}
		}
	}
}

// gapKernel averages each channel: [B, C, H, W] -> [B, C].
type gapKernel struct {
	name     string
	b, c, hw int
	needDX   bool
}

func (g *gapKernel) label() string       { return g.name }
func (g *gapKernel) shape() tensor.Shape { return tensor.Shape{g.b, g.c} }
func (g *gapKernel) diff() []bool        { return []bool{g.needDX} }

func (g *gapKernel) forward(out []float32, in [][]float32) {
	x := in[0]
	for pl := range out {
		var s float32
		for _, v := range x[pl*g.hw : (pl+1)*g.hw] {
			s += v
		}
		out[pl] = s / float32(g.hw)
	}
}

func (g *gapKernel) backward(_ int, dst []float32, _ [][]float32, _, dout []float32) {
	for pl, d := range dout {
		v := d / float32(g.hw)
		row := dst[pl*g.hw : (pl+1)*g.hw]
		for j := range row {
			row[j] = v
		}
	}
}
