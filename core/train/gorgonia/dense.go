package gorgonia

import (
	"math"

	"gorgonia.org/tensor"
)

// denseKernel is a fully connected layer: x [B, N] times w [N, U] plus
// bias [U].
type denseKernel struct {
	name    string
	b, n, u int
	needDX  bool
}

func (d *denseKernel) label() string       { return d.name }
func (d *denseKernel) shape() tensor.Shape { return tensor.Shape{d.b, d.u} }
func (d *denseKernel) diff() []bool        { return []bool{d.needDX, true, true} }

func (d *denseKernel) forward(out []float32, in [][]float32) {
	x, w, bias := in[0], in[1], in[2]
	for r := 0; r < d.b; r++ {
		copy(out[r*d.u:(r+1)*d.u], bias)
	}
	gemm(false, false, d.b, d.u, d.n, x, w, 1, out)
}

func (d *denseKernel) backward(i int, dst []float32, in [][]float32, _, dout []float32) {
	x, w := in[0], in[1]
	switch i {
	case 0:
		gemm(false, true, d.b, d.n, d.u, dout, w, 0, dst)
	case 1:
		gemm(true, false, d.n, d.u, d.b, x, dout, 0, dst)
	case 2:
		clear(dst)
		for r := 0; r < d.b; r++ {
			for j, g := range dout[r*d.u : (r+1)*d.u] {
				dst[j] += g
			}
		}
	}
}

// xentKernel is the mean softmax cross-entropy of logits [B, K] against
// one-hot targets [B, K]; only the first n rows count (a padded last batch).
type xentKernel struct {
	name string
	b, k int
	prob []float32
	last float64 // the last loss before rounding to float32
}

func (x *xentKernel) label() string       { return x.name }
func (x *xentKernel) shape() tensor.Shape { return tensor.ScalarShape() }
func (x *xentKernel) diff() []bool        { return []bool{true, false} }

func (x *xentKernel) forward(out []float32, in [][]float32) {
	logits, y := in[0], in[1]
	if x.prob == nil {
		x.prob = make([]float32, x.b*x.k)
	}
	var loss float64
	for r := 0; r < x.b; r++ {
		row, p, t := logits[r*x.k:(r+1)*x.k], x.prob[r*x.k:(r+1)*x.k], y[r*x.k:(r+1)*x.k]
		m := row[0]
		for _, v := range row {
			m = max(m, v)
		}
		var s float64
		for j, v := range row {
			e := math.Exp(float64(v - m))
			p[j] = float32(e)
			s += e
		}
		logS := math.Log(s)
		for j := range p {
			p[j] = float32(float64(p[j]) / s)
			if t[j] != 0 {
				loss -= float64(t[j]) * (float64(row[j]-m) - logS)
			}
		}
	}
	x.last = loss / float64(x.b)
	out[0] = float32(x.last)
}

func (x *xentKernel) backward(_ int, dst []float32, in [][]float32, _, dout []float32) {
	y := in[1]
	scale := dout[0] / float32(x.b)
	for i, p := range x.prob {
		dst[i] = (p - y[i]) * scale
	}
}
