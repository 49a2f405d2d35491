package tpe_test

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// digestRun asks opt for budget trials of f with workers running at once
// (the running trial that finishes next is fixed by i), marks every
// pruneEvery-th trial pruned (0: none) and every seventh failed when fail
// is set, and returns a hash of every asked point's bits.
func digestRun(t *testing.T, opt search.Optimizer, sp *space.Space, dirs []search.Direction, f opttest.Objective,
	budget, workers, pruneEvery int, fail bool) string {
	t.Helper()
	hash := sha256.New()
	var done, running []search.Trial
	next := 0
	for next < budget || len(running) > 0 {
		if next < budget && len(running) < workers {
			h := search.History{Space: sp, Directions: dirs, Done: done, Running: running, Next: next}
			p, err := opt.Ask(&h)
			if err != nil {
				t.Fatalf("ask %d: %v", next, err)
			}
			for _, v := range p {
				binary.Write(hash, binary.LittleEndian, math.Float64bits(v))
			}
			running = append(running[:len(running):len(running)], search.Trial{ID: next, Params: p, State: search.Running})
			next++
			continue
		}
		// Finish the oldest running trial, except every third time the
		// newest, so that trials finish out of ID order.
		i := 0
		if next%3 == 0 {
			i = len(running) - 1
		}
		tr := running[i]
		running = append(running[:i:i], running[i+1:]...)
		v, _ := f(tr.Params)
		switch {
		case fail && tr.ID%7 == 3:
			tr.State = search.Failed
		case pruneEvery > 0 && tr.ID%pruneEvery == 1:
			tr.State, tr.Values = search.Pruned, nil
		default:
			tr.State, tr.Values = search.Complete, []float64{v}
		}
		// Done stays in ID order; insert into a fresh array.
		nd := make([]search.Trial, 0, len(done)+1)
		j := 0
		for j < len(done) && done[j].ID < tr.ID {
			j++
		}
		nd = append(append(append(nd, done[:j]...), tr), done[j:]...)
		done = nd
		if err := opt.Tell(tr); err != nil {
			t.Fatal(err)
		}
	}
	return fmt.Sprintf("%x", hash.Sum(nil))[:16]
}

// TestDigest pins the points TPE asks for a seed: a change of the
// implementation that is meant to keep the algorithm must keep these
// (MORPHML_TPE_DIGEST=1 prints them).
func TestDigest(t *testing.T) {
	mixed20 := opttest.Mixed20()
	m20 := func(p space.Point) (float64, bool) { return opttest.Mixed20Point(mixed20, p), true }
	mixed, mf := opttest.Mixed()
	sep, sf, _, _ := opttest.Separable(6, 5)
	min1 := []search.Direction{search.Minimize}
	cases := []struct {
		name       string
		sp         *space.Space
		f          opttest.Objective
		dirs       []search.Direction
		opts       search.Options
		budget     int
		workers    int
		pruneEvery int
		fail       bool
		want       string
	}{
		{"mixed20", mixed20, m20, min1, nil, 400, 1, 0, false, "66dc962e0e8dab17"},
		{"mixed20 parallel liar pruned failed", mixed20, m20, min1, search.Options{"constant_liar": 1}, 300, 4, 5, true, "3e1223490323bf73"},
		{"mixed", mixed, mf, nil, search.Options{"n_startup_trials": 5}, 300, 1, 0, false, "1458228aa9788657"},
		{"mixed parallel pruned", mixed, mf, nil, nil, 300, 3, 4, true, "eb5818b7172cc825"},
		{"separable", sep, sf, nil, search.Options{"unique": 0}, 200, 2, 0, false, "781d172a1e73f3a2"},
		{"mixed20 gamma", mixed20, m20, min1, search.Options{"gamma": 0.25, "gamma_max": 60, "prior_weight": 2, "n_ei_candidates": 50}, 300, 1, 0, false, "4d549accb74010b7"},
	}
	print := os.Getenv("MORPHML_TPE_DIGEST") != ""
	for _, c := range cases {
		if testing.Short() && c.budget > 300 {
			continue
		}
		opt, err := search.NewOptimizer("tpe", c.sp, 7, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		got := digestRun(t, opt, c.sp, c.dirs, c.f, c.budget, c.workers, c.pruneEvery, c.fail)
		if print {
			fmt.Printf("%q: %s\n", c.name, got)
		}
		if c.want != "" && got != c.want {
			t.Errorf("%s: digest %s, want %s", c.name, got, c.want)
		}
	}
}
