package opttest

import (
	"fmt"
	"math"

	"github.com/morphml/morphml/core/space"
)

// Mixed20 is the space of the optimizer-overhead benchmarks (BenchmarkAskTell
// in core/optimizers/tpe, scripts/benchoptim, scripts/bench_optim_optuna.py):
// 8 floats f0..f7 (the even ones on a log scale in [1e-4, 1], the odd ones
// in [-5, 5]), 6 integers i0..i5 in [1, 64] and 6 categoricals c0..c5 with
// the choices "0".."3".
func Mixed20() *space.Space {
	sp := &space.Space{Name: "mixed20"}
	for i := range 8 {
		if i%2 == 0 {
			sp.Params = append(sp.Params, space.NewFloat(fmt.Sprint("f", i), 1e-4, 1, true))
		} else {
			sp.Params = append(sp.Params, space.NewFloat(fmt.Sprint("f", i), -5, 5, false))
		}
	}
	for i := range 6 {
		sp.Params = append(sp.Params, space.NewInt(fmt.Sprint("i", i), 1, 64, false))
	}
	for i := range 6 {
		sp.Params = append(sp.Params, space.NewCategorical(fmt.Sprint("c", i), "0", "1", "2", "3"))
	}
	return sp
}

// Mixed20Value is the benchmark objective on Mixed20, to minimize: 0 at
// f_even = 0.01, f_odd = 1, i = 16, c = "1".
func Mixed20Value(f [8]float64, n [6]float64, c [6]string) float64 {
	v := 0.0
	for i, x := range f {
		if i%2 == 0 {
			v += (math.Log10(x) + 2) * (math.Log10(x) + 2)
		} else {
			v += (x - 1) * (x - 1)
		}
	}
	for _, x := range n {
		v += math.Abs(x-16) / 16
	}
	for _, x := range c {
		if x != "1" {
			v++
		}
	}
	return v
}

// Mixed20Point is Mixed20Value of a point of Mixed20().
func Mixed20Point(sp *space.Space, p space.Point) float64 {
	var f [8]float64
	var n [6]float64
	var c [6]string
	copy(f[:], p[:8])
	copy(n[:], p[8:14])
	for i := range c {
		c[i] = sp.Params[14+i].Format(p[14+i])
	}
	return Mixed20Value(f, n, c)
}
