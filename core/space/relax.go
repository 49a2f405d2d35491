package space

import "math"

// The continuous relaxation: optimizers that work on real vectors
// (differential evolution, particle swarms, CMA-ES) see every space as the
// unit cube [0,1]^d, one coordinate per parameter.
//
//   - a categorical of n choices cuts [0,1) into n equal bins: choice c is
//     the bin [c/n, (c+1)/n), and ToUnit returns its centre;
//   - an integer in [Low, High] is the real range [Low-0.5, High+0.5] (on a
//     log scale when Log) stretched onto [0,1] and rounded back, so that
//     every integer owns an equal share of the cube, as in SampleParam;
//   - a float is [Low, High] (log scale when Log) stretched onto [0,1].
//
// (A log integer has Low >= 1, so Low-0.5 > 0.) FromUnit clamps its input
// into [0,1] first, so any real vector decodes to a point of the space, and
// FromUnit(ToUnit(p)) == p for every point p of the space (floats up to
// rounding).

// ToUnit maps an encoded value of p into [0,1].
func (p Param) ToUnit(v float64) float64 {
	switch p.Kind {
	case Categorical:
		n := float64(len(p.Choices))
		if n == 0 {
			return 0.5
		}
		return clampUnit((math.Floor(v) + 0.5) / n)
	case Int:
		lo, hi := p.Low-0.5, p.High+0.5
		if p.Log {
			lo, hi, v = math.Log(lo), math.Log(hi), math.Log(v)
		}
		return clampUnit((v - lo) / (hi - lo))
	}
	lo, hi := p.Low, p.High
	if hi == lo {
		return 0.5
	}
	if p.Log {
		lo, hi, v = math.Log(lo), math.Log(hi), math.Log(v)
	}
	return clampUnit((v - lo) / (hi - lo))
}

// FromUnit maps u (clamped into [0,1]) to an encoded value of p.
func (p Param) FromUnit(u float64) float64 {
	u = clampUnit(u)
	switch p.Kind {
	case Categorical:
		n := len(p.Choices)
		return float64(min(int(u*float64(n)), max(n-1, 0)))
	case Int:
		lo, hi := p.Low-0.5, p.High+0.5
		var x float64
		if p.Log {
			llo, lhi := math.Log(lo), math.Log(hi)
			x = math.Exp(llo + u*(lhi-llo))
		} else {
			x = lo + u*(hi-lo)
		}
		return math.Min(math.Max(math.Round(x), p.Low), p.High)
	}
	lo, hi := p.Low, p.High
	if p.Log {
		return math.Min(math.Max(math.Exp(math.Log(lo)+u*(math.Log(hi)-math.Log(lo))), lo), hi)
	}
	return math.Min(math.Max(lo+u*(hi-lo), lo), hi)
}

// ToUnit maps a point of the space into the unit cube (see the continuous
// relaxation above); categoricals land on the centres of their bins.
func (s *Space) ToUnit(pt Point) []float64 {
	u := make([]float64, len(s.Params))
	for i, p := range s.Params {
		if i < len(pt) {
			u[i] = p.ToUnit(pt[i])
		}
	}
	return u
}

// FromUnit maps a real vector, clamped into the unit cube, to a point of the
// space. Missing coordinates count as 0.5; NaN counts as 0.
func (s *Space) FromUnit(u []float64) Point {
	pt := make(Point, len(s.Params))
	for i, p := range s.Params {
		x := 0.5
		if i < len(u) {
			x = u[i]
		}
		pt[i] = p.FromUnit(x)
	}
	return pt
}

// clampUnit clamps x into [0,1] (NaN becomes 0).
func clampUnit(x float64) float64 {
	if !(x >= 0) {
		return 0
	}
	return math.Min(x, 1)
}
