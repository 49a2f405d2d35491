package gorgonia

import (
	"math"

	"gorgonia.org/tensor"
)

// mode is shared by the kernels of one network that behave differently in
// training and inference.
type mode struct {
	training bool
	// frozen keeps random masks fixed between forward passes (for
	// gradient checks).
	frozen bool
}

// Batch-norm settings, as PyTorch's defaults.
const (
	bnMomentum = 0.1
	bnEpsilon  = 1e-5
)

// bnKernel is batch normalisation with per-channel scale and shift: inputs
// x ([B, C, H, W] or [B, C]), gamma [C] and beta [C]. In training it
// normalises with the batch's statistics and updates running averages; in
// inference it uses the running averages.
type bnKernel struct {
	name         string
	shp          tensor.Shape
	b, c, hw     int
	m            *mode
	needDX       bool
	threads      int
	mean, invstd []float32 // of the last training batch
	runMean      []float32
	runVar       []float32
}

func newBN(name string, in tensor.Shape, m *mode, needDX bool, threads int) *bnKernel {
	hw := 1
	for _, d := range in[2:] {
		hw *= d
	}
	c := in[1]
	k := &bnKernel{name: name, shp: in.Clone(), b: in[0], c: c, hw: hw, m: m, needDX: needDX, threads: threads,
		mean: make([]float32, c), invstd: make([]float32, c), runMean: make([]float32, c), runVar: make([]float32, c)}
	for i := range k.runVar {
		k.runVar[i] = 1
	}
	return k
}

func (k *bnKernel) label() string       { return k.name }
func (k *bnKernel) shape() tensor.Shape { return k.shp }
func (k *bnKernel) diff() []bool        { return []bool{k.needDX, true, true} }

// plane returns the hw values of channel c in sample s.
func (k *bnKernel) plane(x []float32, s, c int) []float32 {
	o := (s*k.c + c) * k.hw
	return x[o : o+k.hw]
}

// channels runs fn over the channels, in parallel when the data is large.
func (k *bnKernel) channels(fn func(lo, hi int)) {
	threads := k.threads
	if k.b*k.c*k.hw < 1<<15 {
		threads = 1
	}
	workers(threads, k.c, func(_, lo, hi int) { fn(lo, hi) })
}

func (k *bnKernel) forward(out []float32, in [][]float32) {
	k.channels(func(lo, hi int) { k.fwd(out, in, lo, hi) })
}

func (k *bnKernel) fwd(out []float32, in [][]float32, lo, hi int) {
	x, gamma, beta := in[0], in[1], in[2]
	n := float64(k.b * k.hw)
	for c := lo; c < hi; c++ {
		mean, inv := k.runMean[c], float32(1/math.Sqrt(float64(k.runVar[c])+bnEpsilon))
		if k.m.training {
			var s, ss float64
			for b := 0; b < k.b; b++ {
				for _, v := range k.plane(x, b, c) {
					s += float64(v)
				}
			}
			mu := s / n
			for b := 0; b < k.b; b++ {
				for _, v := range k.plane(x, b, c) {
					d := float64(v) - mu
					ss += d * d
				}
			}
			variance := ss / n
			mean, inv = float32(mu), float32(1/math.Sqrt(variance+bnEpsilon))
			k.mean[c], k.invstd[c] = mean, inv
			unbiased := variance
			if n > 1 {
				unbiased = ss / (n - 1)
			}
			k.runMean[c] = (1-bnMomentum)*k.runMean[c] + bnMomentum*float32(mu)
			k.runVar[c] = (1-bnMomentum)*k.runVar[c] + bnMomentum*float32(unbiased)
		}
		g, bt := gamma[c]*inv, beta[c]
		for b := 0; b < k.b; b++ {
			src, dst := k.plane(x, b, c), k.plane(out, b, c)
			for j, v := range src {
				dst[j] = (v-mean)*g + bt
			}
		}
	}
}

func (k *bnKernel) backward(i int, dst []float32, in [][]float32, _, dout []float32) {
	k.channels(func(lo, hi int) { k.bwd(i, dst, in, dout, lo, hi) })
}

func (k *bnKernel) bwd(i int, dst []float32, in [][]float32, dout []float32, lo, hi int) {
	x, gamma := in[0], in[1]
	n := float32(k.b * k.hw)
	for c := lo; c < hi; c++ {
		mean, inv := k.mean[c], k.invstd[c]
		if !k.m.training {
			mean, inv = k.runMean[c], float32(1/math.Sqrt(float64(k.runVar[c])+bnEpsilon))
		}
		var sdy, sdyx float32 // sum of dy and of dy * xhat
		for b := 0; b < k.b; b++ {
			dy := k.plane(dout, b, c)
			for j, v := range k.plane(x, b, c) {
				sdy += dy[j]
				sdyx += dy[j] * (v - mean) * inv
			}
		}
		switch i {
		case 1:
			dst[c] = sdyx
		case 2:
			dst[c] = sdy
		case 0:
			g := gamma[c] * inv
			for b := 0; b < k.b; b++ {
				dy, src, dx := k.plane(dout, b, c), k.plane(x, b, c), k.plane(dst, b, c)
				for j, v := range src {
					if !k.m.training {
						dx[j] = g * dy[j]
						continue
					}
					xhat := (v - mean) * inv
					dx[j] = g * (dy[j] - sdy/n - xhat*sdyx/n)
				}
			}
		}
	}
}
