package forest

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestStepFunction(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var x [][]float64
	var y []float64
	for range 200 {
		v := rng.Float64()
		x = append(x, []float64{v})
		if v < 0.5 {
			y = append(y, 0)
		} else {
			y = append(y, 10)
		}
	}
	f := New(Config{Seed: 3})
	if err := f.Fit(x, y, []bool{false}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ x, want float64 }{{0.1, 0}, {0.4, 0}, {0.6, 10}, {0.95, 10}} {
		if got := f.Predict([]float64{c.x}); math.Abs(got-c.want) > 0.5 {
			t.Errorf("Predict(%v) = %.3f, want %v", c.x, got, c.want)
		}
	}
}

func TestCategoricalGroups(t *testing.T) {
	// Categories 1 and 3 give 5, the others 0: one split of the category
	// set separates them, which ordered thresholds on the codes cannot.
	var x [][]float64
	var y []float64
	for i := range 100 {
		c := float64(i % 5)
		x = append(x, []float64{c})
		if c == 1 || c == 3 {
			y = append(y, 5)
		} else {
			y = append(y, 0)
		}
	}
	f := New(Config{Seed: 1, Trees: 8, MaxDepth: 1})
	if err := f.Fit(x, y, []bool{true}); err != nil {
		t.Fatal(err)
	}
	for c, want := range []float64{0, 5, 0, 5, 0} {
		if got := f.Predict([]float64{float64(c)}); math.Abs(got-want) > 1e-9 {
			t.Errorf("category %d: %.3f, want %v (a depth-1 tree must group the categories)", c, got, want)
		}
	}
}

// TestGeneralizes checks held-out accuracy on a smooth function with an
// irrelevant feature and noise.
func TestGeneralizes(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	gen := func(n int) ([][]float64, []float64) {
		var x [][]float64
		var y []float64
		for range n {
			a, b, c := rng.Float64()*4, rng.Float64()*2-1, rng.Float64()
			x = append(x, []float64{a, b, c})
			y = append(y, math.Sin(a)+b*b+0.05*rng.NormFloat64())
		}
		return x, y
	}
	x, y := gen(300)
	f := New(Config{Seed: 5})
	if err := f.Fit(x, y, []bool{false, false, false}); err != nil {
		t.Fatal(err)
	}
	tx, ty := gen(200)
	mean := 0.0
	for _, v := range ty {
		mean += v
	}
	mean /= float64(len(ty))
	var sse, sst float64
	for i := range tx {
		d := f.Predict(tx[i]) - ty[i]
		sse += d * d
		sst += (ty[i] - mean) * (ty[i] - mean)
	}
	if r2 := 1 - sse/sst; r2 < 0.85 {
		t.Errorf("held-out R² %.3f, want > 0.85", r2)
	}
}

func TestReproducible(t *testing.T) {
	x := [][]float64{{1, 0}, {2, 1}, {3, 0}, {4, 1}, {5, 2}, {6, 0}, {7, 1}, {8, 2}}
	y := []float64{1, 3, 2, 5, 4, 6, 8, 7}
	fit := func(seed uint64) *Forest {
		f := New(Config{Seed: seed, Trees: 10, MinLeaf: 1})
		if err := f.Fit(x, y, []bool{false, true}); err != nil {
			t.Fatal(err)
		}
		return f
	}
	a, b, c := fit(1), fit(1), fit(2)
	same, differ := true, false
	for v := 0.5; v < 9; v += 0.5 {
		for cat := range 3 {
			row := []float64{v, float64(cat)}
			same = same && a.Predict(row) == b.Predict(row)
			differ = differ || a.Predict(row) != c.Predict(row)
		}
	}
	if !same || !differ {
		t.Errorf("same seed gives the same forest: %v; another seed another: %v", same, differ)
	}
}

func TestFitErrors(t *testing.T) {
	cases := []struct {
		x    [][]float64
		y    []float64
		cat  []bool
		want string
	}{
		{nil, nil, nil, "0 rows"},
		{[][]float64{{1}}, []float64{1, 2}, []bool{false}, "1 rows and 2 targets"},
		{[][]float64{{1}, {1, 2}}, []float64{1, 2}, []bool{false}, "row 1 has 2 features"},
		{[][]float64{{1}}, []float64{1}, []bool{false, true}, "1 features and 2 categorical"},
		{[][]float64{{1.5}}, []float64{1}, []bool{true}, "not a code"},
		{[][]float64{{70}}, []float64{1}, []bool{true}, "not a code"},
		{[][]float64{{1}}, []float64{math.NaN()}, []bool{false}, "target 0 is NaN"},
		{[][]float64{{math.NaN()}}, []float64{1}, []bool{false}, "feature 0 is NaN"},
	}
	for _, c := range cases {
		err := New(Config{}).Fit(c.x, c.y, c.cat)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Fit(%v, %v, %v) = %v, want an error with %q", c.x, c.y, c.cat, err, c.want)
		}
	}
	if v := New(Config{}).Predict([]float64{1}); !math.IsNaN(v) {
		t.Errorf("Predict before Fit = %v, want NaN", v)
	}
}

func BenchmarkFit(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	var x [][]float64
	var y []float64
	for range 200 {
		row := make([]float64, 6)
		for j := range row {
			row[j] = float64(rng.IntN(5))
		}
		x = append(x, row)
		y = append(y, row[0]+rng.Float64())
	}
	cat := []bool{true, true, true, true, true, true}
	for b.Loop() {
		if err := New(Config{Seed: 1}).Fit(x, y, cat); err != nil {
			b.Fatal(err)
		}
	}
}
