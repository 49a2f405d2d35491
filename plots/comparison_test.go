package plots

import (
	"math"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/bench"
)

func TestNB201ComparisonData(t *testing.T) {
	rep := &bench.NB201Report{Dataset: "cifar10", Budget: 3, Runs: 10, OracleTest: 94.37,
		Optimizer: bench.NB201Arm{Optimizer: "evolution", Curve: []float64{90, 92, 93}, CurveStd: []float64{1, 0.5, 0.4}},
		Baseline:  &bench.NB201Arm{Optimizer: "random", Curve: []float64{90, 91, 91.5}, CurveStd: []float64{1, 0.8, 0.6}},
	}
	d := NB201ComparisonData(rep)
	if len(d.Curves) != 2 || d.Curves[0].Name != "evolution" || d.Curves[1].Name != "random" ||
		d.Curves[1].Mean[2] != 91.5 || d.Reference != 94.37 || !strings.Contains(d.Title, "10 runs") {
		t.Errorf("comparison data %+v", d)
	}
	rep.Baseline = nil
	if d := NB201ComparisonData(rep); len(d.Curves) != 1 {
		t.Errorf("without a baseline: %d curves", len(d.Curves))
	}
	if _, err := Comparison(d); err != nil {
		t.Error(err)
	}
}

func TestComparisonErrors(t *testing.T) {
	cases := []struct {
		d    ComparisonData
		want string
	}{
		{ComparisonData{}, "no curves"},
		{ComparisonData{Curves: []Curve{{Name: "a", Mean: []float64{1, 2}, Std: []float64{1}}}}, `curve "a" has 2 means and 1 standard deviations`},
		{ComparisonData{Curves: []Curve{{Name: "b"}}}, `curve "b" has 0 means`},
		{ComparisonData{Curves: []Curve{{Name: "c", Mean: []float64{math.NaN()}}}}, `curve "c" has no values`},
	}
	for _, c := range cases {
		if _, err := Comparison(c.d); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Comparison(%+v) = %v, want an error with %q", c.d, err, c.want)
		}
	}
}
