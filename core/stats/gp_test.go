package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The gradient of the fit's objective matches central differences.
func TestHyperGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := sample2D(rng, 25)
	p := newHyperProblem(x, y, []int{0, 1}, 2)
	for range 5 {
		th := make([]float64, p.dim)
		for i := range th {
			th[i] = rng.NormFloat64()
		}
		g := make([]float64, p.dim)
		p.grad(g, th)
		for k := range th {
			const h = 1e-5
			a := append([]float64(nil), th...)
			b := append([]float64(nil), th...)
			a[k] += h
			b[k] -= h
			num := (p.f(a) - p.f(b)) / (2 * h)
			if math.Abs(num-g[k]) > 1e-4*math.Max(1, math.Abs(num)) {
				t.Errorf("theta %v: d/dtheta_%d = %v, central difference %v", th, k, g[k], num)
			}
		}
	}
}

func sample2D(rng *rand.Rand, n int) ([][]float64, []float64) {
	var x [][]float64
	var y []float64
	for range n {
		a, b := rng.Float64(), rng.Float64()
		x = append(x, []float64{a, b})
		y = append(y, math.Sin(6*a)+0.5*b*b)
	}
	return x, y
}

// With fixed hyper-parameters the posterior matches a direct computation
// with numpy (numpy.linalg.solve on the same kernel matrix):
//
//	X = [[0.1, 0.2], [0.4, 0.9], [0.8, 0.5]]; y = [1.0, -0.5, 2.0]
//	ys = (y - y.mean()) / y.std()
//	k(a, b) = 1.5 * m(|(a-b)/[0.3, 0.7]|), m(r) = (1+sqrt5 r+5r^2/3) exp(-sqrt5 r)
//	K = k(X, X) + 0.01 I; x* = [0.5, 0.5]
//	mean = y.mean() + y.std() * k* @ solve(K, ys)
//	std = y.std() * sqrt(1.5 - k* @ solve(K, k*))
func TestGPMatchesNumpy(t *testing.T) {
	x := [][]float64{{0.1, 0.2}, {0.4, 0.9}, {0.8, 0.5}}
	y := []float64{1.0, -0.5, 2.0}
	g, err := NewGP(x, y, []int{0, 1}, GPHyper{Amplitude: 1.5, LengthScales: []float64{0.3, 0.7}, Noise: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	m, s := g.Predict([]float64{0.5, 0.5})
	const wantM, wantS = 0.4530575241204739, 0.7522388461865206
	if math.Abs(m-wantM) > 1e-9 || math.Abs(s-wantS) > 1e-9 {
		t.Errorf("Predict = %v ± %v, want %v ± %v", m, s, wantM, wantS)
	}
}

// A GP with little noise interpolates its data and reverts to the mean,
// with the prior's uncertainty, far from it.
func TestGPInterpolates(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, y := sample2D(rng, 20)
	h := GPHyper{Amplitude: 1, LengthScales: []float64{0.3, 0.3}, Noise: 1e-6}
	g, err := NewGP(x, y, []int{0, 1}, h)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x {
		m, s := g.Predict(x[i])
		if math.Abs(m-y[i]) > 1e-3 || s > 1e-2 {
			t.Errorf("at data point %d: %v ± %v, want %v ± 0", i, m, s, y[i])
		}
	}
	m, s := g.Predict([]float64{50, 50})
	if math.Abs(m-g.yMean) > 1e-9 || math.Abs(s-g.yStd) > 1e-9 {
		t.Errorf("far away: %v ± %v, want the mean %v ± %v", m, s, g.yMean, g.yStd)
	}
}

// Fitted hyper-parameters predict held-out points of a smooth function
// well, better than the defaults, and with a higher marginal likelihood.
func TestFitGPHyper(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, y := sample2D(rng, 40)
	// The function varies fast along the first input, slowly along the second.
	h, err := FitGPHyper(x, y, []int{0, 1}, 2, GPFitConfig{Restarts: 2}, rand.New(rand.NewPCG(7, 8)))
	if err != nil {
		t.Fatal(err)
	}
	if !(h.LengthScales[0] < h.LengthScales[1]) {
		t.Errorf("length scales %v: want the first (fast) shorter", h.LengthScales)
	}
	fit, _ := NewGP(x, y, []int{0, 1}, h)
	def, _ := NewGP(x, y, []int{0, 1}, GPHyper{Amplitude: 1, LengthScales: []float64{1, 1}, Noise: 1e-3})
	if fit.LogMarginalLikelihood() <= def.LogMarginalLikelihood() {
		t.Errorf("fitted LML %v <= default %v", fit.LogMarginalLikelihood(), def.LogMarginalLikelihood())
	}
	tx, ty := sample2D(rng, 200)
	rmse := func(g *GP) float64 {
		s := 0.0
		for i := range tx {
			m, _ := g.Predict(tx[i])
			s += (m - ty[i]) * (m - ty[i])
		}
		return math.Sqrt(s / float64(len(tx)))
	}
	t.Logf("hyper %+v: held-out RMSE %.4f (defaults %.4f)", h, rmse(fit), rmse(def))
	if rmse(fit) > 0.05 || rmse(fit) >= rmse(def) {
		t.Errorf("held-out RMSE %.4f, want < 0.05 and below the defaults' %.4f", rmse(fit), rmse(def))
	}
}

func TestGPErrors(t *testing.T) {
	h := GPHyper{Amplitude: 1, LengthScales: []float64{1}, Noise: 1e-3}
	for _, c := range []struct {
		name   string
		x      [][]float64
		y      []float64
		groups []int
	}{
		{"no data", nil, nil, []int{0}},
		{"lengths differ", [][]float64{{1}}, []float64{1, 2}, []int{0}},
		{"ragged", [][]float64{{1}, {1, 2}}, []float64{1, 2}, []int{0}},
		{"bad group", [][]float64{{1}}, []float64{1}, []int{3}},
		{"NaN target", [][]float64{{1}}, []float64{math.NaN()}, []int{0}},
	} {
		if _, err := NewGP(c.x, c.y, c.groups, h); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
