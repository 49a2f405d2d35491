package gorgonia

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// solver updates the learnable tensors from their gradients after a
// training step and zeroes the gradients.
//
// gorgonia's AdamSolver and Momentum make a dozen passes and several
// temporary tensors per parameter tensor every step, which cost more than
// the matrix products of a small network (a profile of the MLP benchmark
// with OpenBLAS: ~45% of the time in the solver's element-wise passes).
// These do one pass, with no allocation, in the same float32 operations
// and order as gorgonia's, so Adam's results are bit for bit the same.
type solver interface {
	step(params G.Nodes) error
}

// adam is Adam (Kingma & Ba) with optional L2 weight decay added to the
// gradient, as gorgonia's AdamSolver computes it.
type adam struct {
	lr, l2      float32
	beta1, eps  float64
	beta2       float64
	iter        int
	threads     int
	mean, varis [][]float32 // first and second moment per parameter tensor
}

func newAdam(lr, l2 float64, threads int) *adam {
	return &adam{lr: float32(lr), l2: float32(l2), beta1: 0.9, beta2: 0.999, eps: 1e-8, threads: threads}
}

// parallelMin is the size from which a parameter tensor's update is split
// between the engine's threads; smaller ones are not worth a goroutine.
const parallelMin = 1 << 14

// chunks runs fn over [0, n), split between threads when n is large.
func chunks(threads, n int, fn func(lo, hi int)) {
	if n < parallelMin {
		fn(0, n)
		return
	}
	workers(threads, n, func(_, lo, hi int) { fn(lo, hi) })
}

func (a *adam) step(params G.Nodes) error {
	if a.mean == nil {
		a.mean, a.varis = make([][]float32, len(params)), make([][]float32, len(params))
	}
	a.iter++
	c1 := 1 - math.Pow(a.beta1, float64(a.iter))
	c2 := 1 - math.Pow(a.beta2, float64(a.iter))
	b1, b2 := float32(a.beta1), float32(a.beta2)
	omb1, omb2 := float32(1)-b1, float32(1)-b2
	cv1, cv2 := float32(1)/float32(c1), float32(1)/float32(c2)
	eps, negEta, l2 := float32(a.eps), -a.lr, a.l2
	for i, p := range params {
		w, g, err := weightGrad(p)
		if err != nil {
			return err
		}
		if a.mean[i] == nil {
			a.mean[i], a.varis[i] = make([]float32, len(w)), make([]float32, len(w))
		}
		m, v := a.mean[i][:len(w)], a.varis[i][:len(w)]
		g = g[:len(w)]
		chunks(a.threads, len(w), func(lo, hi int) {
			adamUpdate(w[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi], l2, b1, b2, omb1, omb2, cv1, cv2, eps, negEta)
		})
	}
	return nil
}

// adamUpdate applies one Adam step to a run of weights. The explicit
// float32 conversions keep each product rounded on its own (no fused
// multiply-add), as gorgonia's separate passes do.
func adamUpdate(w, g, m, v []float32, l2, b1, b2, omb1, omb2, cv1, cv2, eps, negEta float32) {
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	for j := range w {
		gj := g[j]
		if l2 != 0 {
			gj += float32(w[j] * l2)
		}
		t1 := float32(gj * omb1)
		g2 := float32(float32(gj*gj) * omb2)
		mj := t1 + float32(m[j]*b1)
		vj := g2 + float32(v[j]*b2)
		m[j], v[j] = mj, vj
		mh := float32(mj * cv1)
		// The float32 square root, correctly rounded (through float64, as
		// math32.Sqrt, which gorgonia uses, computes it).
		vh := float32(math.Sqrt(float64(float32(vj*cv2)))) + eps
		mh = float32(mh*negEta) / vh
		w[j] += mh
		g[j] = 0
	}
}

// momentum is SGD with momentum: velocity = momentum·velocity − lr·grad,
// weights += velocity, with optional L2 weight decay added to the gradient.
// (gorgonia's Momentum applies the decay to the velocity instead of the
// weights; this one decays the weights, as SGD weight decay is defined.)
type momentum struct {
	lr, l2, mu float32
	threads    int
	velocity   [][]float32
}

func newMomentum(lr, l2, mu float64, threads int) *momentum {
	return &momentum{lr: float32(lr), l2: float32(l2), mu: float32(mu), threads: threads}
}

func (s *momentum) step(params G.Nodes) error {
	if s.velocity == nil {
		s.velocity = make([][]float32, len(params))
	}
	negEta := -s.lr
	for i, p := range params {
		w, g, err := weightGrad(p)
		if err != nil {
			return err
		}
		if s.velocity[i] == nil {
			s.velocity[i] = make([]float32, len(w))
		}
		c := s.velocity[i][:len(w)]
		g = g[:len(w)]
		chunks(s.threads, len(w), func(lo, hi int) {
			for j := lo; j < hi; j++ {
				gj := g[j]
				if s.l2 != 0 {
					gj += float32(w[j] * s.l2)
				}
				c[j] = float32(c[j]*s.mu) + float32(gj*negEta)
				w[j] += c[j]
				g[j] = 0
			}
		})
	}
	return nil
}

// weightGrad returns the float32 data of a learnable node and of its
// gradient.
func weightGrad(p *G.Node) (w, g []float32, err error) {
	wt, ok := p.Value().(*tensor.Dense)
	if !ok {
		return nil, nil, fmt.Errorf("parameter %s holds a %T, not a tensor", p.Name(), p.Value())
	}
	gv, err := p.Grad()
	if err != nil {
		return nil, nil, fmt.Errorf("parameter %s has no gradient: %w", p.Name(), err)
	}
	gt, ok := gv.(*tensor.Dense)
	if !ok {
		return nil, nil, fmt.Errorf("the gradient of %s is a %T, not a tensor", p.Name(), gv)
	}
	w, ok1 := wt.Data().([]float32)
	g, ok2 := gt.Data().([]float32)
	if !ok1 || !ok2 || len(g) < len(w) {
		return nil, nil, fmt.Errorf("parameter %s: weights and gradient are not float32 tensors of one size", p.Name())
	}
	return w, g, nil
}
