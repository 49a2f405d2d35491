package pruners_test

import (
	"context"
	"fmt"
	"math"
	"sort"
	"testing"

	_ "github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/pruners"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// The synthetic learning curves: a trial's quality q (its one parameter)
// scales a saturating curve, so that a better trial is better at every
// step. The full budget is maxSteps.
const maxSteps = 27

func learningCurve(q float64, step int) float64 { return q * (1 - math.Exp(-float64(step)/4)) }

var curveSpace = &space.Space{Name: "curves", Params: []space.Param{space.NewFloat("q", 0, 1, false)}}

// curves reports the learning curve of each trial's quality and stops when
// told to.
var curves = search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
	q := r.Params[0]
	for s := 1; s <= maxSteps; s++ {
		if r.Report(s, learningCurve(q, s)) {
			return nil, nil
		}
	}
	return []float64{learningCurve(q, maxSteps)}, nil
})

// study runs n random trials of the curves with a pruner.
func study(t *testing.T, p search.Pruner, n, parallel int) []search.Trial {
	t.Helper()
	opt, err := search.NewOptimizer("random", curveSpace, 7, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := search.NewStudy(search.StudyConfig{Name: "prune", Space: curveSpace, Optimizer: opt, Pruner: p})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Optimize(context.Background(), curves, search.Budget{Trials: n, Parallel: parallel}); err != nil {
		t.Fatal(err)
	}
	return st.Trials()
}

// better counts the trials among ts with a higher quality than q.
func better(ts []search.Trial, q float64) int {
	n := 0
	for _, t := range ts {
		if t.Params[0] > q {
			n++
		}
	}
	return n
}

// checkBestKept fails if the trial of the highest quality did not complete.
func checkBestKept(t *testing.T, trials []search.Trial) {
	t.Helper()
	best := trials[0]
	for _, tr := range trials {
		if tr.Params[0] > best.Params[0] {
			best = tr
		}
	}
	if best.State != search.Complete {
		t.Errorf("the best trial %d (q=%.3f) is %v", best.ID, best.Params[0], best.State)
	}
}

func counts(trials []search.Trial) (complete, pruned int) {
	for _, tr := range trials {
		switch tr.State {
		case search.Complete:
			complete++
		case search.Pruned:
			pruned++
		}
	}
	return
}

// Serially, the median rule judges trial k at step 1 against every earlier
// trial: it is stopped when more than half of them are better, and a trial
// better than all earlier ones is never stopped. (At later steps only the
// finished trials that reached the step count, so a trial can stop later.)
func TestMedianStopsWorseThanHalf(t *testing.T) {
	p, err := pruners.NewMedian(pruners.MedianConfig{MinTrials: 5})
	if err != nil {
		t.Fatal(err)
	}
	trials := study(t, p, 60, 1)
	for k, tr := range trials {
		nb := better(trials[:k], tr.Params[0])
		switch {
		case k >= 5 && 2*nb > k && tr.State != search.Pruned:
			t.Errorf("trial %d: worse than %d of %d earlier trials, but %v", k, nb, k, tr.State)
		case (k < 5 || nb == 0) && tr.State != search.Complete:
			t.Errorf("trial %d: %v, want complete (%d earlier trials, %d better)", k, tr.State, k, nb)
		}
	}
	checkBestKept(t, trials)
	if c, pr := counts(trials); pr < 20 {
		t.Errorf("%d complete, %d pruned: want most of the worse half pruned", c, pr)
	}
}

func TestMedianWarmup(t *testing.T) {
	p, _ := pruners.NewMedian(pruners.MedianConfig{WarmupSteps: 5, MinTrials: 3})
	for _, tr := range study(t, p, 30, 1) {
		if tr.State == search.Pruned && tr.Curve[len(tr.Curve)-1].Step < 5 {
			t.Errorf("trial %d pruned at step %d; the warm-up ends at 5", tr.ID, tr.Curve[len(tr.Curve)-1].Step)
		}
	}
}

// Successive halving stops a trial only when it is certainly outside its
// cohort's quota: at rung 0 (step 1) outside the cohort's top 3 (9/3), at
// rung 1 (step 3) not the cohort's best. The last trial of a cohort knows
// every other member at rung 0, so it stops there exactly when it is not in
// the top 3.
func TestSuccessiveHalvingCohorts(t *testing.T) {
	cfg := pruners.DefaultHalvingConfig()
	cfg.Cohort, cfg.MaxResource = 9, maxSteps
	p, err := pruners.NewSuccessiveHalving(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Rungs(); fmt.Sprint(got) != "[1 3 9]" {
		t.Fatalf("rungs %v", got)
	}
	trials := study(t, p, 45, 1)
	for c := 0; c < len(trials); c += 9 {
		cohort := trials[c:min(c+9, len(trials))]
		checkBestKept(t, cohort)
		for _, tr := range cohort {
			rank := better(cohort, tr.Params[0])
			if tr.State != search.Pruned {
				continue
			}
			switch last := tr.Curve[len(tr.Curve)-1].Step; {
			case last == 1 && rank < 3:
				t.Errorf("trial %d stopped at rung 0 though it is number %d of its cohort", tr.ID, rank+1)
			case last != 1 && rank < 1:
				t.Errorf("trial %d stopped at step %d though it is its cohort's best", tr.ID, last)
			}
		}
		if lastTr := cohort[len(cohort)-1]; len(cohort) == 9 {
			atRung0 := lastTr.State == search.Pruned && len(lastTr.Curve) == 1
			if rank := better(cohort, lastTr.Params[0]); (rank >= 3) != atRung0 {
				t.Errorf("the last trial %d of its cohort is number %d and %v after %d steps", lastTr.ID, rank+1, lastTr.State, len(lastTr.Curve))
			}
		}
	}
	if _, pr := counts(trials); pr < 10 {
		t.Errorf("only %d of %d trials pruned", pr, len(trials))
	}
}

// ASHA with 4 trials in parallel: whatever the timing, trial k is asked
// only once trials 0..k-4 have finished, and all of them reached rung 0
// (step 1). So when floor((k+4)/3) of them, the most the quota can be, are
// better, trial k must stop at step 1. The best trial never stops.
func TestASHAParallel(t *testing.T) {
	const n, par = 80, 4
	cfg := pruners.DefaultHalvingConfig()
	cfg.MaxResource = maxSteps
	p, err := pruners.NewASHA(cfg)
	if err != nil {
		t.Fatal(err)
	}
	trials := study(t, p, n, par)
	must := 0
	for k, tr := range trials {
		if k < par {
			continue
		}
		if nb := better(trials[:k-par+1], tr.Params[0]); nb >= (k+par)/3 {
			must++
			if tr.State != search.Pruned || len(tr.Curve) != 1 {
				t.Errorf("trial %d: %d finished trials were better, but it is %v after %d steps", k, nb, tr.State, len(tr.Curve))
			}
		}
	}
	if must < 20 {
		t.Errorf("only %d trials had to be pruned: the test is too weak", must)
	}
	checkBestKept(t, trials)
	c, pr := counts(trials)
	t.Logf("ASHA, %d in parallel: %d complete, %d pruned (%d certain)", par, c, pr, must)
}

func TestHyperbandBrackets(t *testing.T) {
	p, err := pruners.NewHyperband(pruners.HyperbandConfig{MinResource: 1, MaxResource: 27, Eta: 3, MinTrials: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(p.Brackets()); got != "[[1 3 9] [3 9] [9] []]" {
		t.Errorf("brackets %s", got)
	}
	// Li et al.'s trials per bracket for R = 27, eta = 3: 27, 12, 6, 4 (49).
	count := make([]int, 4)
	const ids = 49000
	for id := range ids {
		count[p.Bracket(id)]++
	}
	for b, want := range []float64{27, 12, 6, 4} {
		if got := float64(count[b]) / ids * 49; math.Abs(got-want) > 0.05*want {
			t.Errorf("bracket %d: %.2f trials per 49, want %v", b, got, want)
		}
	}
	trials := study(t, p, 60, 1)
	checkBestKept(t, trials)
	for _, tr := range trials {
		if tr.State == search.Pruned && p.Bracket(tr.ID) == 3 {
			t.Errorf("trial %d of the bracket that never prunes was pruned", tr.ID)
		}
		if tr.State == search.Pruned {
			b, last := p.Bracket(tr.ID), float64(tr.Curve[len(tr.Curve)-1].Step)
			if r := p.Brackets()[b]; sort.SearchFloat64s(r, last) == len(r) || r[sort.SearchFloat64s(r, last)] != last {
				t.Errorf("trial %d of bracket %d stopped at step %v, not a rung of its bracket %v", tr.ID, b, last, r)
			}
		}
	}
	if _, pr := counts(trials); pr == 0 {
		t.Error("nothing pruned")
	}
}
