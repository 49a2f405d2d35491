package search

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/morphml/morphml/core/space"
)

// scanSeen is History.Seen without the index.
func scanSeen(h *History, p space.Point) bool {
	hs := History{Done: h.Done, Running: h.Running}
	return hs.Seen(p)
}

func TestPointIndex(t *testing.T) {
	negZero := math.Copysign(0, -1)
	x := newPointIndex()
	pts := []space.Point{{1, 2}, {0, 3}, {1, 2}, {math.NaN(), 1}, {negZero, 3}, {5}, {}}
	for i, p := range pts {
		x.add(i, p)
	}
	for _, tc := range []struct {
		p    space.Point
		n    int
		want bool
	}{
		{space.Point{1, 2}, 0, false},
		{space.Point{1, 2}, 1, true},
		{space.Point{0, 3}, 1, false},
		{space.Point{0, 3}, 2, true},
		{space.Point{negZero, 3}, 2, true}, // -0 == 0, as Point.Equal says
		{space.Point{math.NaN(), 1}, 7, false},
		{space.Point{5}, 5, false},
		{space.Point{5}, 6, true},
		{space.Point{5, 0}, 7, false},
		{space.Point{}, 7, true},
		{space.Point{2, 1}, 7, false},
	} {
		if got := x.seen(tc.p, tc.n); got != tc.want {
			t.Errorf("seen(%v, %d) = %v, want %v", tc.p, tc.n, got, tc.want)
		}
	}
}

// TestPointIndexCollisions forces every point into one hash.
func TestPointIndexCollisions(t *testing.T) {
	x := newPointIndex()
	pts := []space.Point{{1}, {2}, {1}, {3}, {2}}
	for i, p := range pts {
		x.addHashed(i, p, 42, true)
	}
	for _, tc := range []struct {
		p    space.Point
		n    int
		want bool
	}{
		{space.Point{1}, 1, true},
		{space.Point{2}, 1, false},
		{space.Point{2}, 2, true},
		{space.Point{3}, 3, false},
		{space.Point{3}, 4, true},
		{space.Point{4}, 5, false},
	} {
		if got := x.seenHashed(tc.p, tc.n, 42, true); got != tc.want {
			t.Errorf("seen(%v, %d) = %v, want %v", tc.p, tc.n, got, tc.want)
		}
	}
	if got := len(x.more[42]); got != 2 {
		t.Errorf("%d points beside the first in the bucket, want 2 (no repeats)", got)
	}
}

// pick asks points of a small grid, so that points repeat.
type pick struct{}

func (pick) Ask(h *History) (space.Point, error) {
	rng := Rand(1, h.Next)
	return space.Point{float64(rng.IntN(3)), float64(rng.IntN(3))}, nil
}
func (pick) Tell(Trial) error { return nil }

// TestHistoryMatchesScan checks the study's histories (a shared finished
// prefix, the index) against a history built by a scan, for trials that
// finish out of ID order and every upto.
func TestHistoryMatchesScan(t *testing.T) {
	sp := &space.Space{Name: "grid", Params: []space.Param{space.NewInt("a", 0, 2, false), space.NewInt("b", 0, 2, false)}}
	s, err := NewStudy(StudyConfig{Name: "h", Space: sp, Optimizer: pick{}})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var running []int
	for step := range 200 {
		if len(running) < 5 && rng.IntN(3) > 0 {
			tr, err := s.Ask()
			if err != nil {
				t.Fatal(err)
			}
			running = append(running, tr.ID)
		} else if len(running) > 0 {
			i := rng.IntN(len(running))
			if _, err := s.Tell(running[i], []float64{rng.Float64()}, nil); err != nil {
				t.Fatal(err)
			}
			running = append(running[:i], running[i+1:]...)
		}
		n := s.Len()
		for _, upto := range []int{-3, -1, 0, n / 2, n - 3, n - 1, n, math.MaxInt} {
			h := s.history(upto, n)
			var done, run []Trial
			for _, tr := range s.Trials() {
				if tr.ID <= upto && tr.State.Finished() {
					done = append(done, tr)
				} else {
					run = append(run, tr)
				}
			}
			if !reflect.DeepEqual(ids(h.Done), ids(done)) || !reflect.DeepEqual(ids(h.Running), ids(run)) {
				t.Fatalf("step %d upto %d: done %v running %v, want %v and %v", step, upto, ids(h.Done), ids(h.Running), ids(done), ids(run))
			}
			for i := range done {
				if !reflect.DeepEqual(h.Done[i].Values, done[i].Values) || h.Done[i].State != done[i].State {
					t.Fatalf("step %d upto %d: done trial %d differs", step, upto, done[i].ID)
				}
			}
			if cap(h.Done) != len(h.Done) || cap(h.Running) != len(h.Running) {
				t.Fatalf("step %d: history slices have room to append in place", step)
			}
			for a := range 4 {
				for b := range 4 {
					p := space.Point{float64(a), float64(b)}
					if got, want := h.Seen(p), scanSeen(h, p); got != want {
						t.Fatalf("step %d upto %d: Seen(%v) = %v, scan says %v", step, upto, p, got, want)
					}
				}
			}
		}
	}
}

func ids(ts []Trial) []int {
	out := []int{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

// TestSeenIgnoresIndexOfReplacedSlices: a wrapper that changes Done (as
// WarmStart does) gets a scan of its own trials.
func TestSeenIgnoresIndexOfReplacedSlices(t *testing.T) {
	sp := &space.Space{Name: "grid", Params: []space.Param{space.NewInt("a", 0, 2, false), space.NewInt("b", 0, 2, false)}}
	s, err := NewStudy(StudyConfig{Name: "h", Space: sp, Optimizer: pick{}})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		tr, err := s.Ask()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Tell(tr.ID, []float64{1}, nil); err != nil {
			t.Fatal(err)
		}
	}
	h := *s.history(math.MaxInt, 3)
	extra := space.Point{7, 7}
	h.Done = append(h.Done, Trial{ID: -1, Params: extra, State: Complete})
	if !h.Seen(extra) {
		t.Fatal("a trial added to Done is not seen")
	}
	h.Done = h.Done[:0]
	for _, p := range s.Trials() {
		if h.Seen(p.Params) {
			t.Fatalf("trial %d is seen with Done emptied", p.ID)
		}
	}
}
