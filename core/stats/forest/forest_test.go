package forest_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/morphml/morphml/core/stats/forest"
)

func data(rng *rand.Rand, n int) ([][]float64, []float64) {
	var x [][]float64
	var y []float64
	for range n {
		a, b, c := rng.Float64(), rng.Float64(), rng.Float64()
		x = append(x, []float64{a, b, c})
		y = append(y, 3*a+math.Sin(6*b)) // c is irrelevant
	}
	return x, y
}

// The forest learns a function of two of three features: held-out error
// well below the targets' spread.
func TestFitPredicts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := data(rng, 300)
	f, err := forest.Fit(x, y, forest.Config{Trees: 20}, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	tx, ty := data(rng, 200)
	se, sv := 0.0, 0.0
	mean := 0.0
	for _, v := range ty {
		mean += v / float64(len(ty))
	}
	for i := range tx {
		m, v := f.Predict(tx[i])
		if v < 0 {
			t.Fatalf("negative variance %v", v)
		}
		se += (m - ty[i]) * (m - ty[i])
		sv += (ty[i] - mean) * (ty[i] - mean)
	}
	r2 := 1 - se/sv
	t.Logf("held-out R^2 %.3f", r2)
	if r2 < 0.9 {
		t.Errorf("held-out R^2 %.3f, want >= 0.9", r2)
	}
}

// Predict is the mean and the variance of the trees' predictions; trees
// grown on bootstrap samples disagree.
func TestPredictTrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, y := data(rng, 100)
	f, _ := forest.Fit(x, y, forest.Config{}, rand.New(rand.NewPCG(7, 8)))
	if f.Trees() != 10 {
		t.Fatalf("%d trees, want the default 10", f.Trees())
	}
	p := []float64{0.3, 0.6, 0.9}
	ts := f.PredictTrees(p, nil)
	m, v := f.Predict(p)
	mm, vv := 0.0, 0.0
	for _, e := range ts {
		mm += e / float64(len(ts))
	}
	for _, e := range ts {
		vv += (e - mm) * (e - mm) / float64(len(ts))
	}
	if math.Abs(m-mm) > 1e-12 || math.Abs(v-vv) > 1e-9 {
		t.Errorf("Predict = %v, %v; trees give %v, %v", m, v, mm, vv)
	}
	if v == 0 {
		t.Error("bootstrap trees agree exactly")
	}
	// Without bootstrap and with every feature, fully grown trees fit
	// their data: the forest reproduces the targets up to the leaves' size.
	g, _ := forest.Fit(x, y, forest.Config{NoBootstrap: true, MaxFeatures: 1, MinSamplesSplit: 2}, rand.New(rand.NewPCG(7, 8)))
	for i := range x {
		if m, _ := g.Predict(x[i]); math.Abs(m-y[i]) > 1e-9 {
			t.Fatalf("training point %d: %v, want %v", i, m, y[i])
		}
	}
}

// The same random source grows the same forest.
func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	x, y := data(rng, 80)
	a, _ := forest.Fit(x, y, forest.Config{}, rand.New(rand.NewPCG(1, 1)))
	b, _ := forest.Fit(x, y, forest.Config{}, rand.New(rand.NewPCG(1, 1)))
	c, _ := forest.Fit(x, y, forest.Config{}, rand.New(rand.NewPCG(2, 1)))
	p := []float64{0.5, 0.5, 0.5}
	if fmt.Sprint(a.PredictTrees(p, nil)) != fmt.Sprint(b.PredictTrees(p, nil)) {
		t.Error("same source, different forests")
	}
	if fmt.Sprint(a.PredictTrees(p, nil)) == fmt.Sprint(c.PredictTrees(p, nil)) {
		t.Error("different sources, same forests")
	}
}

func TestErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct {
		name string
		x    [][]float64
		y    []float64
		cfg  forest.Config
	}{
		{"no data", nil, nil, forest.Config{}},
		{"lengths differ", [][]float64{{1}}, []float64{1, 2}, forest.Config{}},
		{"ragged", [][]float64{{1}, {1, 2}}, []float64{1, 2}, forest.Config{}},
		{"NaN", [][]float64{{1}}, []float64{math.NaN()}, forest.Config{}},
		{"negative trees", [][]float64{{1}}, []float64{1}, forest.Config{Trees: -1}},
		{"features above 1", [][]float64{{1}}, []float64{1}, forest.Config{MaxFeatures: 2}},
		{"split 1", [][]float64{{1}}, []float64{1}, forest.Config{MinSamplesSplit: 1}},
	} {
		if _, err := forest.Fit(c.x, c.y, c.cfg, rng); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func Example() {
	var x [][]float64
	var y []float64
	for i := range 50 {
		v := float64(i) / 50
		x = append(x, []float64{v})
		y = append(y, 10*v)
	}
	f, err := forest.Fit(x, y, forest.Config{Trees: 5}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	m, _ := f.Predict([]float64{0.5})
	fmt.Printf("%.0f\n", m)
	// Output: 5
}
