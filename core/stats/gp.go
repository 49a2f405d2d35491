package stats

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Matern52 is the Matern 5/2 covariance with one length scale per group of
// input columns (automatic relevance determination; the one-hot columns of a
// categorical share a group): k(a, b) = Amplitude (1 + sqrt5 r + 5 r^2/3)
// exp(-sqrt5 r) with r^2 = sum over columns c of (a_c - b_c)^2 /
// LengthScales[Groups[c]]^2.
type Matern52 struct {
	Amplitude    float64
	LengthScales []float64
	Groups       []int // per column: its group (an index into LengthScales)
}

// Eval returns k(a, b).
func (k *Matern52) Eval(a, b []float64) float64 {
	r2 := 0.0
	for c, g := range k.Groups {
		d := (a[c] - b[c]) / k.LengthScales[g]
		r2 += d * d
	}
	return k.Amplitude * matern(math.Sqrt(r2))
}

// matern is the Matern 5/2 correlation at scaled distance r.
func matern(r float64) float64 {
	s := math.Sqrt(5) * r
	return (1 + s + s*s/3) * math.Exp(-s)
}

// GPHyper are the hyper-parameters of a GP on standardized targets.
type GPHyper struct {
	Amplitude    float64   // signal variance
	LengthScales []float64 // one per group of columns
	Noise        float64   // noise variance
}

// Bounds of the hyper-parameters for FitGPHyper (targets are standardized,
// inputs are expected in the unit cube).
const (
	minAmplitude, maxAmplitude = 0.05, 20
	minLength, maxLength       = 0.01, 20
	minNoise, maxNoise         = 1e-6, 1
)

// GP is Gaussian-process regression with a constant mean and a Matern52
// kernel, conditioned on observations. The targets are standardized
// internally; predictions are on the original scale.
type GP struct {
	x      [][]float64
	scaled [][]float64 // x divided by the length scales
	k      Matern52
	noise  float64
	chol   mat.Cholesky
	alpha  []float64 // K^-1 (y - mean) / std
	yMean  float64
	yStd   float64
	lml    float64
}

// NewGP conditions a GP with hyper-parameters h on the observations (x[i],
// y[i]); groups maps each column of x to a length scale of h.
func NewGP(x [][]float64, y []float64, groups []int, h GPHyper) (*GP, error) {
	if err := checkData(x, y, groups, len(h.LengthScales)); err != nil {
		return nil, err
	}
	g := &GP{x: x, k: Matern52{Amplitude: h.Amplitude, LengthScales: h.LengthScales, Groups: groups}, noise: h.Noise}
	ys := make([]float64, len(y))
	g.yMean, g.yStd = standardize(y, ys)
	g.scaled = make([][]float64, len(x))
	for i, xi := range x {
		g.scaled[i] = g.scale(xi, nil)
	}
	n := len(x)
	K := mat.NewSymDense(n, nil)
	for i := range n {
		for j := 0; j <= i; j++ {
			K.SetSym(i, j, g.k.Eval(x[i], x[j]))
		}
	}
	noise := h.Noise
	for try := 0; ; try++ {
		for i := range n {
			K.SetSym(i, i, h.Amplitude+noise)
		}
		if g.chol.Factorize(K) {
			break
		}
		if try == 8 {
			return nil, fmt.Errorf("gp: the covariance of %d points is not positive definite, even with noise %g", n, noise)
		}
		noise = math.Max(noise*10, 1e-8)
	}
	g.noise = noise
	a := mat.NewVecDense(n, nil)
	if err := g.chol.SolveVecTo(a, mat.NewVecDense(n, ys)); err != nil && !isCondition(err) {
		return nil, fmt.Errorf("gp: %w", err)
	}
	g.alpha = a.RawVector().Data
	g.lml = -0.5*mat.Dot(a, mat.NewVecDense(n, ys)) - 0.5*g.chol.LogDet() - 0.5*float64(n)*math.Log(2*math.Pi)
	return g, nil
}

func isCondition(err error) bool {
	var c mat.Condition
	return errors.As(err, &c)
}

func checkData(x [][]float64, y []float64, groups []int, nScales int) error {
	if len(x) == 0 || len(x) != len(y) {
		return fmt.Errorf("gp: %d inputs and %d targets (want the same, at least 1)", len(x), len(y))
	}
	for i, row := range x {
		if len(row) != len(groups) {
			return fmt.Errorf("gp: input %d has %d columns, want %d", i, len(row), len(groups))
		}
	}
	for c, g := range groups {
		if g < 0 || g >= nScales {
			return fmt.Errorf("gp: column %d is in group %d, but there are %d length scales", c, g, nScales)
		}
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("gp: target %d is %v", i, v)
		}
	}
	return nil
}

// standardize writes (y - mean) / std into dst and returns mean and std
// (std 1 when the targets are constant).
func standardize(y, dst []float64) (mean, std float64) {
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	for _, v := range y {
		std += (v - mean) * (v - mean)
	}
	std = math.Sqrt(std / float64(len(y)))
	if !(std > 1e-12*math.Max(1, math.Abs(mean))) {
		std = 1
	}
	for i, v := range y {
		dst[i] = (v - mean) / std
	}
	return mean, std
}

// scale divides each column of x by its length scale.
func (g *GP) scale(x, dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(x))
	}
	for c, grp := range g.k.Groups {
		dst[c] = x[c] / g.k.LengthScales[grp]
	}
	return dst
}

// LogMarginalLikelihood is log p(y | x, hyper-parameters) of the
// standardized targets.
func (g *GP) LogMarginalLikelihood() float64 { return g.lml }

// Noise is the noise variance used (it may exceed the one asked for when
// the covariance needed more jitter to factorize).
func (g *GP) Noise() float64 { return g.noise }

// Predict returns the posterior mean and standard deviation of the latent
// function at x (without the observation noise).
func (g *GP) Predict(x []float64) (mean, std float64) {
	n := len(g.x)
	xs := g.scale(x, nil)
	ks := make([]float64, n)
	for i, xi := range g.scaled {
		r2 := 0.0
		for c, v := range xs {
			d := v - xi[c]
			r2 += d * d
		}
		ks[i] = g.k.Amplitude * matern(math.Sqrt(r2))
	}
	m := 0.0
	for i, v := range ks {
		m += v * g.alpha[i]
	}
	// v = U^-T k*, with K = U^T U; var = k(x,x) - |v|^2.
	u := g.chol.RawU().(*mat.TriDense).RawTriangular()
	blas64.Trsv(blas.Trans, u, blas64.Vector{N: n, Inc: 1, Data: ks})
	v := g.k.Amplitude
	for _, e := range ks {
		v -= e * e
	}
	return g.yMean + g.yStd*m, g.yStd * math.Sqrt(math.Max(v, 0))
}

// GPFitConfig says how FitGPHyper searches.
type GPFitConfig struct {
	Restarts   int // random starting points besides the default one
	Iterations int // L-BFGS iterations per start (default 50)
}

// FitGPHyper fits the hyper-parameters of a GP to the observations by
// maximizing the log marginal likelihood plus weak log-normal priors (on
// the standardized scale: length scales around 1, amplitude around 1,
// noise around 1e-3), within fixed bounds. It runs L-BFGS (gonum/optimize)
// from the default point and from cfg.Restarts random points drawn from
// rng, and returns the best result. nGroups is the number of length scales.
func FitGPHyper(x [][]float64, y []float64, groups []int, nGroups int, cfg GPFitConfig, rng *rand.Rand) (GPHyper, error) {
	if err := checkData(x, y, groups, nGroups); err != nil {
		return GPHyper{}, err
	}
	if cfg.Iterations <= 0 {
		cfg.Iterations = 50
	}
	p := newHyperProblem(x, y, groups, nGroups)
	starts := [][]float64{p.defaultTheta()}
	for range cfg.Restarts {
		th := make([]float64, p.dim)
		for i := range th {
			th[i] = rng.NormFloat64() * 1.5
		}
		starts = append(starts, th)
	}
	best, bestF := []float64(nil), math.Inf(1)
	for _, th := range starts {
		res, err := optimize.Minimize(optimize.Problem{Func: p.f, Grad: p.grad}, th,
			&optimize.Settings{MajorIterations: cfg.Iterations, Converger: &optimize.FunctionConverge{Absolute: 1e-4, Iterations: 5}},
			&optimize.LBFGS{})
		if res == nil {
			if err != nil && best == nil && len(starts) == 1 {
				return GPHyper{}, fmt.Errorf("gp: fit hyper-parameters: %w", err)
			}
			continue
		}
		if res.F < bestF {
			best, bestF = append([]float64(nil), res.X...), res.F
		}
	}
	if best == nil {
		return p.hyper(p.defaultTheta()), nil
	}
	return p.hyper(best), nil
}
