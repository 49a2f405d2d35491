package stats

import "math"

// NormPDF is the density of the standard normal distribution.
func NormPDF(z float64) float64 { return math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi) }

// NormCDF is the distribution function of the standard normal distribution.
func NormCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// ExpectedImprovement is E[max(Y - best - xi, 0)] for Y ~ N(mean, std^2):
// how much a point whose prediction is mean ± std is expected to improve on
// best (higher is better) by more than xi. With std 0 it is the plain
// improvement.
func ExpectedImprovement(mean, std, best, xi float64) float64 {
	d := mean - best - xi
	if !(std > 0) {
		return math.Max(d, 0)
	}
	z := d / std
	return d*NormCDF(z) + std*NormPDF(z)
}

// LogExpectedImprovement is log(ExpectedImprovement), computed so that it
// stays finite and ordered far into the tail where the improvement itself
// underflows (Ament et al., "Unexpected Improvements to Expected
// Improvement for Bayesian Optimization", NeurIPS 2023). It is -Inf only
// when std is 0 and mean - best - xi <= 0.
func LogExpectedImprovement(mean, std, best, xi float64) float64 {
	d := mean - best - xi
	if !(std > 0) {
		if d > 0 {
			return math.Log(d)
		}
		return math.Inf(-1)
	}
	z := d / std
	if z > -1 {
		return math.Log(d*NormCDF(z) + std*NormPDF(z))
	}
	// EI = std phi(z) (1 - x R(x)) with x = -z and Mills' ratio
	// R(x) = Q(x)/phi(x); 1 - x R(x) loses about 2 log10(x) digits to
	// cancellation, and past x = 30 its asymptotic series
	// 1/x^2 - 3/x^4 + 15/x^6 - 105/x^8 is exact to 1e-9.
	x := -z
	var tail float64
	if x < 30 {
		r := 0.5 * math.Erfc(x/math.Sqrt2) / NormPDF(x)
		tail = 1 - x*r
	} else {
		x2 := x * x
		tail = (1 - (3-(15-105/x2)/x2)/x2) / x2
	}
	return math.Log(std) - 0.5*z*z - 0.5*math.Log(2*math.Pi) + math.Log(tail)
}

// UpperConfidenceBound is mean + beta*std.
func UpperConfidenceBound(mean, std, beta float64) float64 { return mean + beta*std }
