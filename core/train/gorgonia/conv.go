package gorgonia

import "gorgonia.org/tensor"

// convKernel is a 2-D convolution without bias on NCHW data: inputs x
// [B, C, H, W] and w [F, C, K, K], output [B, F, OH, OW]. Each sample is
// unfolded (im2col) into a [C*K*K, OH*OW] matrix and multiplied by the
// weights in one matrix product that writes the NCHW output directly.
type convKernel struct {
	name              string
	b, c, h, w        int
	f, k, stride, pad int
	oh, ow            int
	needDX            bool
	pointwise         bool // 1x1, stride 1, no padding: no unfolding
	threads           int
	// Per worker: im2col scratch for one sample.
	col, dcol [][]float32
	// dw holds the weight gradient of each of dwParts fixed slices of the
	// batch, summed in order: the result does not depend on the threads.
	dw [][]float32
}

// dwParts is the number of batch slices whose weight gradients are summed
// separately (so at most this many threads share a weight gradient).
const dwParts = 8

func newConv(name string, in tensor.Shape, filters, k, stride, pad int, needDX bool, threads int) *convKernel {
	c := &convKernel{name: name, b: in[0], c: in[1], h: in[2], w: in[3], f: filters, k: k, stride: stride, pad: pad, needDX: needDX}
	c.oh = (c.h+2*pad-k)/stride + 1
	c.ow = (c.w+2*pad-k)/stride + 1
	c.pointwise = k == 1 && stride == 1 && pad == 0
	c.threads = max(1, min(threads, c.b))
	c.col, c.dcol = make([][]float32, c.threads), make([][]float32, c.threads)
	for w := range c.threads {
		if !c.pointwise {
			c.col[w] = make([]float32, c.c*k*k*c.oh*c.ow)
			if needDX {
				c.dcol[w] = make([]float32, len(c.col[w]))
			}
		}
	}
	c.dw = make([][]float32, min(dwParts, c.b))
	for p := range c.dw {
		c.dw[p] = make([]float32, filters*c.c*k*k)
	}
	return c
}

func (c *convKernel) label() string        { return c.name }
func (c *convKernel) shape() tensor.Shape  { return tensor.Shape{c.b, c.f, c.oh, c.ow} }
func (c *convKernel) diff() []bool         { return []bool{c.needDX, true} }
func (c *convKernel) wShape() tensor.Shape { return tensor.Shape{c.f, c.c, c.k, c.k} }

// unfold returns sample s of x as a [C*K*K, OH*OW] matrix, using worker
// w's scratch.
func (c *convKernel) unfold(x []float32, s, w int) []float32 {
	in := x[s*c.c*c.h*c.w : (s+1)*c.c*c.h*c.w]
	if c.pointwise {
		return in
	}
	im2col(c.col[w], in, c.c, c.h, c.w, c.k, c.stride, c.pad, c.oh, c.ow)
	return c.col[w]
}

func (c *convKernel) forward(out []float32, in [][]float32) {
	x, wt := in[0], in[1]
	ckk, ohw := c.c*c.k*c.k, c.oh*c.ow
	workers(c.threads, c.b, func(w, lo, hi int) {
		for s := lo; s < hi; s++ {
			col := c.unfold(x, s, w)
			gemm(false, false, c.f, ohw, ckk, wt, col, 0, out[s*c.f*ohw:(s+1)*c.f*ohw])
		}
	})
}

func (c *convKernel) backward(i int, dst []float32, in [][]float32, _, dout []float32) {
	x, wt := in[0], in[1]
	ckk, ohw := c.c*c.k*c.k, c.oh*c.ow
	switch i {
	case 0: // dx: W^T dY, folded back (col2im)
		chw := c.c * c.h * c.w
		workers(c.threads, c.b, func(w, lo, hi int) {
			for s := lo; s < hi; s++ {
				dy := dout[s*c.f*ohw : (s+1)*c.f*ohw]
				dx := dst[s*chw : (s+1)*chw]
				if c.pointwise {
					gemm(true, false, ckk, ohw, c.f, wt, dy, 0, dx)
					continue
				}
				gemm(true, false, ckk, ohw, c.f, wt, dy, 0, c.dcol[w])
				clear(dx)
				col2im(dx, c.dcol[w], c.c, c.h, c.w, c.k, c.stride, c.pad, c.oh, c.ow)
			}
		})
	case 1: // dW: sum over samples of dY col^T, per batch slice, then in order
		parts := len(c.dw)
		workers(min(c.threads, parts), parts, func(w, lo, hi int) {
			for p := lo; p < hi; p++ {
				acc := c.dw[p]
				clear(acc)
				for s := p * c.b / parts; s < (p+1)*c.b/parts; s++ {
					col := c.unfold(x, s, w)
					gemm(false, true, c.f, ckk, ohw, dout[s*c.f*ohw:(s+1)*c.f*ohw], col, 1, acc)
				}
			}
		})
		copy(dst, c.dw[0])
		for _, part := range c.dw[1:] {
			for j, v := range part {
				dst[j] += v
			}
		}
	}
}

// im2col unfolds one [C, H, W] image into col [C*K*K, OH*OW]; positions in
// the padding are zero.
func im2col(col, im []float32, ch, h, w, k, stride, pad, oh, ow int) {
	r := 0
	for c := 0; c < ch; c++ {
		plane := im[c*h*w : (c+1)*h*w]
		for ki := 0; ki < k; ki++ {
			for kj := 0; kj < k; kj++ {
				row := col[r*oh*ow : (r+1)*oh*ow]
				r++
				for oy := 0; oy < oh; oy++ {
					iy := oy*stride - pad + ki
					dst := row[oy*ow : (oy+1)*ow]
					if iy < 0 || iy >= h {
						clear(dst)
						continue
					}
					src := plane[iy*w : (iy+1)*w]
					if stride == 1 {
						// ix = ox - pad + kj runs over a contiguous range.
						lo := min(ow, max(0, pad-kj))
						hi := max(lo, min(ow, w+pad-kj))
						clear(dst[:lo])
						if hi > lo {
							copy(dst[lo:hi], src[lo-pad+kj:hi-pad+kj])
						}
						clear(dst[hi:])
						continue
					}
					for ox := 0; ox < ow; ox++ {
						ix := ox*stride - pad + kj
						if ix < 0 || ix >= w {
							dst[ox] = 0
						} else {
							dst[ox] = src[ix]
						}
					}
				}
			}
		}
	}
}

// col2im adds col [C*K*K, OH*OW] back onto the image gradient im [C, H, W].
func col2im(im, col []float32, ch, h, w, k, stride, pad, oh, ow int) {
	r := 0
	for c := 0; c < ch; c++ {
		plane := im[c*h*w : (c+1)*h*w]
		for ki := 0; ki < k; ki++ {
			for kj := 0; kj < k; kj++ {
				row := col[r*oh*ow : (r+1)*oh*ow]
				r++
				for oy := 0; oy < oh; oy++ {
					iy := oy*stride - pad + ki
					if iy < 0 || iy >= h {
						continue
					}
					src := row[oy*ow : (oy+1)*ow]
					dst := plane[iy*w : (iy+1)*w]
					if stride == 1 {
						// ix = ox - pad + kj runs over a contiguous range.
						lo := min(ow, max(0, pad-kj))
						hi := max(lo, min(ow, w+pad-kj))
						d := dst[lo-pad+kj : hi-pad+kj]
						for j, v := range src[lo:hi] {
							d[j] += v
						}
						continue
					}
					for ox := 0; ox < ow; ox++ {
						ix := ox*stride - pad + kj
						if ix >= 0 && ix < w {
							dst[ix] += src[ox]
						}
					}
				}
			}
		}
	}
}
