package tpe_test

import (
	"testing"

	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/optimizers/tpe"
	"github.com/morphml/morphml/core/search"
)

// Warm-started from the trials of an earlier study of the same function,
// TPE reaches a good point in fewer trials than from scratch: the priors
// replace its random start-up and its model knows where the minima are.
func TestWarmStartReachesGoodPointsSooner(t *testing.T) {
	sp, f := branin()
	dirs := []search.Direction{search.Minimize}
	earlier, _ := tpe.New(sp, 100, tpe.DefaultConfig())
	prior, err := opttest.Run(earlier, sp, dirs, f, 60)
	if err != nil {
		t.Fatal(err)
	}
	const budget, target, seeds = 100, braninMin + 0.1, 10
	// first returns the number of trials until one scores below target.
	first := func(opt search.Optimizer) int {
		trials, err := opttest.Run(opt, sp, dirs, f, budget)
		if err != nil {
			t.Fatal(err)
		}
		for i, tr := range trials {
			if tr.Values[0] < target {
				return i + 1
			}
		}
		return budget + 1
	}
	cold, warm := 0, 0
	for seed := int64(1); seed <= seeds; seed++ {
		a, _ := tpe.New(sp, seed, tpe.DefaultConfig())
		b, _ := tpe.New(sp, seed, tpe.DefaultConfig())
		cold += first(a)
		warm += first(search.WarmStart(b, prior))
	}
	t.Logf("trials to reach %.3f: from scratch %.1f, warm-started from 60 trials %.1f (mean of %d seeds)",
		target, float64(cold)/seeds, float64(warm)/seeds, seeds)
	if 2*warm > cold {
		t.Errorf("warm start took %d trials in all, from scratch %d: want at most half", warm, cold)
	}
}
