package gorgonia

import (
	"math"
	"math/rand/v2"

	"gorgonia.org/tensor"
)

// actKernel applies an activation function element by element.
type actKernel struct {
	name    string
	fn      string // graph.OpReLU, OpGELU, OpTanh or OpSigmoid
	shp     tensor.Shape
	needDX  bool
	threads int
}

// chunked runs fn over [0, n) in parallel pieces when n is large enough to
// be worth it.
func chunked(threads, n int, fn func(lo, hi int)) {
	if n < 1<<15 {
		threads = 1
	}
	workers(threads, n, func(_, lo, hi int) { fn(lo, hi) })
}

func (a *actKernel) label() string       { return a.name }
func (a *actKernel) shape() tensor.Shape { return a.shp }
func (a *actKernel) diff() []bool        { return []bool{a.needDX} }

const invSqrt2 = 0.7071067811865476

func (a *actKernel) forward(out []float32, in [][]float32) {
	chunked(a.threads, len(out), func(lo, hi int) { a.fwd(out[lo:hi], in[0][lo:hi]) })
}

func (a *actKernel) fwd(out, x []float32) {
	switch a.fn {
	case "relu":
		out = out[:len(x)]
		for i, v := range x {
			out[i] = max(v, 0)
		}
	case "gelu": // exact: x * Phi(x)
		for i, v := range x {
			out[i] = float32(0.5 * float64(v) * (1 + math.Erf(float64(v)*invSqrt2)))
		}
	case "tanh":
		for i, v := range x {
			out[i] = float32(math.Tanh(float64(v)))
		}
	case "sigmoid":
		for i, v := range x {
			out[i] = float32(1 / (1 + math.Exp(-float64(v))))
		}
	}
}

func (a *actKernel) backward(_ int, dst []float32, in [][]float32, out, dout []float32) {
	chunked(a.threads, len(dst), func(lo, hi int) { a.bwd(dst[lo:hi], in[0][lo:hi], out[lo:hi], dout[lo:hi]) })
}

func (a *actKernel) bwd(dst, x, out, dout []float32) {
	switch a.fn {
	case "relu":
		dst, dout = dst[:len(x)], dout[:len(x)]
		for i, v := range x {
			// Branch-free: keep dout where x > 0, that is where x's bits
			// read as a positive int32.
			keep := ^uint32((int32(math.Float32bits(v)) - 1) >> 31)
			dst[i] = math.Float32frombits(math.Float32bits(dout[i]) & keep)
		}
	case "gelu": // Phi(x) + x phi(x)
		for i, v := range x {
			f := float64(v)
			cdf := 0.5 * (1 + math.Erf(f*invSqrt2))
			pdf := math.Exp(-0.5*f*f) / math.Sqrt(2*math.Pi)
			dst[i] = dout[i] * float32(cdf+f*pdf)
		}
	case "tanh":
		for i, y := range out {
			dst[i] = dout[i] * (1 - y*y)
		}
	case "sigmoid":
		for i, y := range out {
			dst[i] = dout[i] * y * (1 - y)
		}
	}
}

// dropoutKernel zeroes each element with probability rate in training and
// scales the others by 1/(1-rate) (inverted dropout); in inference it
// copies. Masks come from the network's seeded generator.
type dropoutKernel struct {
	name   string
	shp    tensor.Shape
	rate   float32
	m      *mode
	rng    *rand.Rand
	mask   []float32
	needDX bool
	drawn  bool
}

func (d *dropoutKernel) label() string       { return d.name }
func (d *dropoutKernel) shape() tensor.Shape { return d.shp }
func (d *dropoutKernel) diff() []bool        { return []bool{d.needDX} }

func (d *dropoutKernel) forward(out []float32, in [][]float32) {
	x := in[0]
	if !d.m.training || d.rate == 0 {
		copy(out, x)
		return
	}
	if d.mask == nil {
		d.mask = make([]float32, len(x))
	}
	if !d.m.frozen || !d.drawn {
		keep := 1 / (1 - d.rate)
		for i := range d.mask {
			if d.rng.Float32() < d.rate {
				d.mask[i] = 0
			} else {
				d.mask[i] = keep
			}
		}
		d.drawn = true
	}
	for i, v := range x {
		out[i] = v * d.mask[i]
	}
}

func (d *dropoutKernel) backward(_ int, dst []float32, _ [][]float32, _, dout []float32) {
	if !d.m.training || d.rate == 0 {
		copy(dst, dout)
		return
	}
	for i, g := range dout {
		dst[i] = g * d.mask[i]
	}
}

// addKernel sums inputs of one shape.
type addKernel struct {
	name   string
	shp    tensor.Shape
	needDX []bool
}

func (a *addKernel) label() string       { return a.name }
func (a *addKernel) shape() tensor.Shape { return a.shp }
func (a *addKernel) diff() []bool        { return a.needDX }

func (a *addKernel) forward(out []float32, in [][]float32) {
	copy(out, in[0])
	for _, x := range in[1:] {
		for i, v := range x {
			out[i] += v
		}
	}
}

func (a *addKernel) backward(_ int, dst []float32, _ [][]float32, _, dout []float32) {
	copy(dst, dout)
}

// concatKernel joins inputs [B, Ci, ...] on the channel axis.
type concatKernel struct {
	name   string
	shp    tensor.Shape
	sizes  []int // per input: Ci * H * W
	needDX []bool
}

func (c *concatKernel) label() string       { return c.name }
func (c *concatKernel) shape() tensor.Shape { return c.shp }
func (c *concatKernel) diff() []bool        { return c.needDX }

func (c *concatKernel) forward(out []float32, in [][]float32) {
	total := 0
	for _, s := range c.sizes {
		total += s
	}
	off := 0
	for k, x := range in {
		s := c.sizes[k]
		for b := 0; b < c.shp[0]; b++ {
			copy(out[b*total+off:b*total+off+s], x[b*s:(b+1)*s])
		}
		off += s
	}
}

func (c *concatKernel) backward(i int, dst []float32, _ [][]float32, _, dout []float32) {
	total, off := 0, 0
	for k, s := range c.sizes {
		if k < i {
			off += s
		}
		total += s
	}
	s := c.sizes[i]
	for b := 0; b < c.shp[0]; b++ {
		copy(dst[b*s:(b+1)*s], dout[b*total+off:b*total+off+s])
	}
}

// reshapeKernel copies its input into another shape of the same size
// (flatten).
type reshapeKernel struct {
	name   string
	shp    tensor.Shape
	needDX bool
}

func (r *reshapeKernel) label() string       { return r.name }
func (r *reshapeKernel) shape() tensor.Shape { return r.shp }
func (r *reshapeKernel) diff() []bool        { return []bool{r.needDX} }
func (r *reshapeKernel) forward(out []float32, in [][]float32) {
	copy(out, in[0])
}
func (r *reshapeKernel) backward(_ int, dst []float32, _ [][]float32, _, dout []float32) {
	copy(dst, dout)
}
