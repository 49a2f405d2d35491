package tpe

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/search"
)

// The bad group's estimators kept up to date by incr are those that
// mixture.build fits from scratch: at every ask of a study (with pruned and
// failed trials, so that the good group changes in the middle of Done
// order), both densities agree to a relative 1e-12 at random points.
func TestIncrMatchesRefit(t *testing.T) {
	sp := opttest.Mixed20()
	o, err := New(sp, 3, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var done []search.Trial
	dirs := []search.Direction{search.Minimize}
	used, worst := 0, 0.0
	for id := range 600 {
		h := search.History{Space: sp, Directions: dirs, Done: done, Next: id}
		p, err := o.Ask(&h)
		if err != nil {
			t.Fatal(err)
		}
		if o.w.model.incr {
			used++
			worst = max(worst, checkIncr(t, o, rng))
		}
		tr := search.Trial{ID: id, Params: p, State: search.Complete, Values: []float64{opttest.Mixed20Point(sp, p)}}
		switch id % 11 {
		case 4:
			tr.State, tr.Values = search.Pruned, nil
		case 7:
			tr.State, tr.Values = search.Failed, nil
		}
		done = append(done[:len(done):len(done)], tr)
	}
	if used < 400 {
		t.Errorf("the kept estimators served %d asks of 600", used)
	}
	t.Logf("%d asks, largest relative difference %.2g", used, worst)
}

// checkIncr compares, for every numeric parameter, the kept bad density
// with a refit one and returns the largest relative difference.
func checkIncr(t *testing.T, o *Optimizer, rng *rand.Rand) float64 {
	t.Helper()
	m := &o.w.model
	c := &o.c
	worst := 0.0
	for k := range o.num {
		var mus, ws []float64
		for _, i := range c.order[k] {
			if b := m.badW[i]; b > 0 {
				mus, ws = append(mus, c.unit[k][i]), append(ws, b)
			}
		}
		var ref, got mixture
		var buf []float64
		ref.build(mus, ws, o.cfg.PriorWeight, &buf)
		got.classes = make([]kclass, len(ref.classes)) // the same window floor
		o.inc.bad(o, k, &got)
		for range 20 {
			x := rng.Float64()
			want, have := ref.pdf(x), got.pdf(x)
			d := math.Abs(have-want) / want
			if d > 1e-12 {
				t.Fatalf("param %d at %v: kept %v, refit %v (rel. %.2g)", k, x, have, want, d)
			}
			worst = max(worst, d)
		}
	}
	return worst
}
