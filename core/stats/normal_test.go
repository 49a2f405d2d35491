package stats

import (
	"math"
	"testing"
)

func TestNormal(t *testing.T) {
	for _, c := range []struct{ z, pdf, cdf float64 }{
		// scipy.stats.norm.pdf / .cdf
		{0, 0.3989422804014327, 0.5},
		{1, 0.24197072451914337, 0.8413447460685429},
		{-2.5, 0.01752830049356854, 0.006209665325776132},
	} {
		if got := NormPDF(c.z); math.Abs(got-c.pdf) > 1e-15 {
			t.Errorf("NormPDF(%v) = %v, want %v", c.z, got, c.pdf)
		}
		if got := NormCDF(c.z); math.Abs(got-c.cdf) > 1e-15 {
			t.Errorf("NormCDF(%v) = %v, want %v", c.z, got, c.cdf)
		}
	}
}

func TestExpectedImprovement(t *testing.T) {
	for _, c := range []struct {
		name                string
		mean, std, best, xi float64
		want                float64
	}{
		{"no uncertainty, better", 3, 0, 1, 0, 2},
		{"no uncertainty, worse", 0, 0, 1, 0, 0},
		{"at the best", 1, 1, 1, 0, 0.3989422804014327},
		// (mean-best) Phi(z) + std phi(z) with z = 0.5: 1*0.6914624612740131 + 2*0.3520653267642995
		{"above", 2, 2, 1, 0, 1.3955931148026121},
		{"xi shifts the best", 2, 2, 0, 1, 1.3955931148026121},
	} {
		if got := ExpectedImprovement(c.mean, c.std, c.best, c.xi); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: EI = %v, want %v", c.name, got, c.want)
		}
		if c.want > 0 {
			if got := LogExpectedImprovement(c.mean, c.std, c.best, c.xi); math.Abs(got-math.Log(c.want)) > 1e-12 {
				t.Errorf("%s: log EI = %v, want %v", c.name, got, math.Log(c.want))
			}
		}
	}
	if !math.IsInf(LogExpectedImprovement(0, 0, 1, 0), -1) {
		t.Error("log EI of a sure non-improvement is not -Inf")
	}
}

// Log EI agrees with log(EI) where EI is representable, is continuous
// across the switch to the series and keeps decreasing far into the tail.
func TestLogExpectedImprovementTail(t *testing.T) {
	prev := math.Inf(1)
	for z := 5.0; z > -60; z -= 0.01 {
		got := LogExpectedImprovement(z, 1, 0, 0)
		if got >= prev {
			t.Fatalf("log EI at z=%v is %v, not below %v at z+0.01", z, got, prev)
		}
		prev = got
		if ei := ExpectedImprovement(z, 1, 0, 0); z > -20 && ei > 1e-300 {
			if math.Abs(got-math.Log(ei)) > 1e-6*math.Abs(math.Log(ei)) {
				t.Fatalf("z=%v: log EI %v, log(EI) %v", z, got, math.Log(ei))
			}
		}
	}
	// Across x = 30, where the series takes over.
	a, b := LogExpectedImprovement(-30+1e-9, 1, 0, 0), LogExpectedImprovement(-30-1e-9, 1, 0, 0)
	if math.Abs(a-b) > 1e-7 {
		t.Errorf("log EI jumps at z=-30: %v vs %v", a, b)
	}
}
