package opttest

import (
	"context"
	"testing"

	"github.com/morphml/morphml/core/bench"
)

// NB201BeatsRandom runs the named optimizer and random search on
// NAS-Bench-201 (CIFAR-10, 100 queries) with the same seeds. The optimizer's
// pick must beat random search's on what both see, the validation accuracy,
// by 0.3 points on average; with 100 runs (not under -short) its final test
// accuracy must also be at least 94.0 and beat random search's by three
// standard errors.
func NB201BeatsRandom(t *testing.T, name string) {
	t.Helper()
	runs := 20
	if !testing.Short() {
		runs = 100
	}
	rep, err := bench.RunNB201(context.Background(), bench.NB201Config{Optimizer: name, Budget: 100, Runs: runs, Baseline: "random"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: test accuracy %.2f ± %.2f (random %.2f ± %.2f)", name, rep.Optimizer.Mean, rep.Optimizer.Std, rep.Baseline.Mean, rep.Baseline.Std)
	if a, b := mean(rep.Optimizer.PickVal), mean(rep.Baseline.PickVal); a < b+0.3 {
		t.Errorf("%s: mean validation accuracy of the pick %.3f, random %.3f", name, a, b)
	}
	if d, se := rep.Diff(); runs == 100 && (d < 3*se || rep.Optimizer.Mean < 94.0) {
		t.Errorf("%s: final test accuracy %.3f, %+.3f ± %.3f over random search", name, rep.Optimizer.Mean, d, se)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
