package stats

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
)

// hyperProblem is the negative log marginal likelihood (plus log-normal
// priors) of a GP as a function of unconstrained parameters theta: each
// hyper-parameter v lies in [lo, hi] as log v = log lo + (log hi - log lo)
// sigmoid(theta).
type hyperProblem struct {
	n, groups, dim int
	y              []float64   // standardized targets
	d              [][]float64 // per group: squared distances, n*n
	lastX          []float64   // theta of the cached evaluation
	lastF          float64
	lastG          []float64
	k, s, e        []float64 // n*n: the kernel matrix (then its inverse), sqrt5 r, exp(-sqrt5 r)
	alpha          []float64
}

// Priors on the log hyper-parameters: mean and standard deviation.
var (
	priorAmplitude = [2]float64{0, 1}
	priorLength    = [2]float64{0, 1.5}
	priorNoise     = [2]float64{math.Log(1e-3), 2}
)

func newHyperProblem(x [][]float64, y []float64, groups []int, nGroups int) *hyperProblem {
	n := len(x)
	p := &hyperProblem{n: n, groups: nGroups, dim: nGroups + 2, y: make([]float64, n)}
	standardize(y, p.y)
	p.d = make([][]float64, nGroups)
	for g := range p.d {
		p.d[g] = make([]float64, n*n)
	}
	for i := range n {
		for j := range i {
			for c, g := range groups {
				e := x[i][c] - x[j][c]
				p.d[g][i*n+j] += e * e
			}
			for g := range p.d {
				p.d[g][j*n+i] = p.d[g][i*n+j]
			}
		}
	}
	return p
}

// bound returns the bounds of hyper-parameter k.
func (p *hyperProblem) bound(k int) (lo, hi float64) {
	switch {
	case k == 0:
		return minAmplitude, maxAmplitude
	case k == p.dim-1:
		return minNoise, maxNoise
	}
	return minLength, maxLength
}

func (p *hyperProblem) prior(k int) [2]float64 {
	switch {
	case k == 0:
		return priorAmplitude
	case k == p.dim-1:
		return priorNoise
	}
	return priorLength
}

// value maps theta_k to the hyper-parameter and d(log v)/d(theta).
func (p *hyperProblem) value(k int, th float64) (v, dlog float64) {
	lo, hi := p.bound(k)
	s := 1 / (1 + math.Exp(-th))
	span := math.Log(hi) - math.Log(lo)
	return math.Exp(math.Log(lo) + span*s), span * s * (1 - s)
}

// theta is the inverse of value.
func (p *hyperProblem) theta(k int, v float64) float64 {
	lo, hi := p.bound(k)
	s := (math.Log(v) - math.Log(lo)) / (math.Log(hi) - math.Log(lo))
	s = math.Min(math.Max(s, 1e-6), 1-1e-6)
	return math.Log(s / (1 - s))
}

func (p *hyperProblem) defaultTheta() []float64 {
	th := make([]float64, p.dim)
	th[0] = p.theta(0, 1)
	for g := range p.groups {
		th[1+g] = p.theta(1+g, 1)
	}
	th[p.dim-1] = p.theta(p.dim-1, 1e-3)
	return th
}

func (p *hyperProblem) hyper(th []float64) GPHyper {
	h := GPHyper{LengthScales: make([]float64, p.groups)}
	h.Amplitude, _ = p.value(0, th[0])
	for g := range p.groups {
		h.LengthScales[g], _ = p.value(1+g, th[1+g])
	}
	h.Noise, _ = p.value(p.dim-1, th[p.dim-1])
	return h
}

func (p *hyperProblem) f(th []float64) float64 {
	p.eval(th)
	return p.lastF
}

func (p *hyperProblem) grad(g, th []float64) {
	p.eval(th)
	copy(g, p.lastG)
}

// eval computes the objective and its gradient at th (cached). It works on
// raw upper-triangular storage with lapack64 (gonum), which skips the
// condition-number estimate mat.Cholesky makes.
func (p *hyperProblem) eval(th []float64) {
	if p.lastX != nil && equal(p.lastX, th) {
		return
	}
	p.lastX = append(p.lastX[:0], th...)
	if p.lastG == nil {
		p.lastG = make([]float64, p.dim)
		p.k = make([]float64, p.n*p.n)
		p.s = make([]float64, p.n*p.n)
		p.e = make([]float64, p.n*p.n)
		p.alpha = make([]float64, p.n)
	}
	n := p.n
	vals := make([]float64, p.dim)
	dlogs := make([]float64, p.dim)
	for k := range p.dim {
		vals[k], dlogs[k] = p.value(k, th[k])
	}
	amp, noise := vals[0], vals[p.dim-1]
	inv2 := make([]float64, p.groups)
	for g := range p.groups {
		inv2[g] = 1 / (vals[1+g] * vals[1+g])
	}
	// K (upper triangle), with s = sqrt5 r and e = exp(-s) kept for the
	// gradient.
	for i := range n {
		for j := i; j < n; j++ {
			r2 := 0.0
			for g := range p.groups {
				r2 += p.d[g][i*n+j] * inv2[g]
			}
			s := math.Sqrt(5 * r2)
			e := math.Exp(-s)
			p.s[i*n+j], p.e[i*n+j] = s, e
			v := amp * (1 + s + s*s/3) * e
			if i == j {
				v += noise
			}
			p.k[i*n+j] = v
		}
	}
	// Objective: -(log marginal likelihood + log prior).
	logPrior := 0.0
	dPrior := make([]float64, p.dim)
	for k := range p.dim {
		pr := p.prior(k)
		z := (math.Log(vals[k]) - pr[0]) / pr[1]
		logPrior -= 0.5 * z * z
		dPrior[k] = -z / pr[1]
	}
	u, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Upper, N: n, Stride: n, Data: p.k})
	if !ok {
		p.lastF = 1e10
		clear(p.lastG)
		return
	}
	logDet := 0.0
	for i := range n {
		logDet += 2 * math.Log(p.k[i*n+i])
	}
	a := p.alpha
	copy(a, p.y)
	lapack64.Potrs(u, blas64.General{Rows: n, Cols: 1, Stride: 1, Data: a})
	yKy := 0.0
	for i, v := range a {
		yKy += v * p.y[i]
	}
	lml := -0.5*yKy - 0.5*logDet - 0.5*float64(n)*math.Log(2*math.Pi)
	p.lastF = -(lml + logPrior)
	if _, ok := lapack64.Potri(u); !ok { // p.k now holds K^-1 (upper)
		clear(p.lastG)
		return
	}
	// dLML/dv = 1/2 sum_ij W_ij dK_ij/dv with W = alpha alpha^T - K^-1.
	dAmp, dNoise := 0.0, 0.0
	dLen := make([]float64, p.groups)
	for i := range n {
		for j := i; j < n; j++ {
			w := a[i]*a[j] - p.k[i*n+j]
			if i == j {
				dNoise += w * noise
				dAmp += w * amp
				continue
			}
			w *= 2 // the (j, i) entry too
			s, e := p.s[i*n+j], p.e[i*n+j]
			dAmp += w * amp * (1 + s + s*s/3) * e
			c := w * amp * (5.0 / 3) * (1 + s) * e
			for g := range p.groups {
				dLen[g] += c * p.d[g][i*n+j] * inv2[g]
			}
		}
	}
	p.lastG[0] = -(0.5*dAmp + dPrior[0]) * dlogs[0]
	for g := range p.groups {
		p.lastG[1+g] = -(0.5*dLen[g] + dPrior[1+g]) * dlogs[1+g]
	}
	p.lastG[p.dim-1] = -(0.5*dNoise + dPrior[p.dim-1]) * dlogs[p.dim-1]
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
