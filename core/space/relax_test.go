package space

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestUnitRoundTrip(t *testing.T) {
	sp := &Space{Name: "relax", Params: []Param{
		NewCategorical("act", "relu", "gelu", "tanh"),
		NewCategorical("fixed", "only"),
		NewInt("layers", 1, 8, false),
		NewInt("width", 8, 512, true),
		NewInt("one", 3, 3, false),
		NewFloat("dropout", 0, 0.5, false),
		NewFloat("lr", 1e-4, 1e-1, true),
		NewFloat("const", 2, 2, false),
	}}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		p := sp.Sample(rng)
		u := sp.ToUnit(p)
		for i, x := range u {
			if x < 0 || x > 1 {
				t.Fatalf("ToUnit(%v)[%d] = %v, outside [0,1]", p, i, x)
			}
		}
		q := sp.FromUnit(u)
		if !sp.Contains(q) {
			t.Fatalf("FromUnit(%v) = %v, outside the space", u, q)
		}
		for i := range p {
			if math.Abs(p[i]-q[i]) > 1e-9*math.Max(1, math.Abs(p[i])) {
				t.Fatalf("round trip of %v gave %v (param %s)", p, q, sp.Params[i].Name)
			}
		}
	}
}

func TestFromUnit(t *testing.T) {
	for _, c := range []struct {
		name string
		p    Param
		u    float64
		want float64
	}{
		{"categorical first bin", NewCategorical("c", "a", "b", "c", "d"), 0.0, 0},
		{"categorical bin edge", NewCategorical("c", "a", "b", "c", "d"), 0.25, 1},
		{"categorical just below edge", NewCategorical("c", "a", "b", "c", "d"), 0.2499, 0},
		{"categorical top", NewCategorical("c", "a", "b", "c", "d"), 1, 3},
		{"categorical clamped high", NewCategorical("c", "a", "b", "c", "d"), 7, 3},
		{"categorical clamped low", NewCategorical("c", "a", "b", "c", "d"), -3, 0},
		{"categorical NaN", NewCategorical("c", "a", "b"), math.NaN(), 0},
		{"int low", NewInt("i", 1, 4, false), 0, 1},
		{"int second bin", NewInt("i", 1, 4, false), 0.3, 2},
		{"int top", NewInt("i", 1, 4, false), 1, 4},
		{"log int middle", NewInt("w", 1, 1000, true), 0.5, 22},
		{"float", NewFloat("f", -1, 1, false), 0.75, 0.5},
		{"log float", NewFloat("lr", 1e-4, 1, true), 0.5, 1e-2},
	} {
		if got := c.p.FromUnit(c.u); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: FromUnit(%v) = %v, want %v", c.name, c.u, got, c.want)
		}
	}
}

// Uniform coordinates decode to uniform choices: every bin has the same width.
func TestUnitBinsEqual(t *testing.T) {
	p := NewInt("i", 0, 4, false)
	counts := make([]int, 5)
	const n = 100000
	for k := range n {
		counts[int(p.FromUnit((float64(k)+0.5)/n))]++
	}
	for v, c := range counts {
		if c != n/5 {
			t.Errorf("value %d owns %d of %d unit points, want %d", v, c, n, n/5)
		}
	}
}
