package stats_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/stats"
)

func historyFixture() *search.History {
	sp := &space.Space{Params: []space.Param{space.NewInt("x", 0, 9, false)}}
	tr := func(id int, x, v float64, st search.State) search.Trial {
		t := search.Trial{ID: id, Params: space.Point{x}, State: st}
		if st == search.Complete {
			t.Values = []float64{v}
		}
		return t
	}
	return &search.History{Space: sp, Directions: []search.Direction{search.Minimize}, Next: 6,
		Done: []search.Trial{
			tr(0, 0, 5, search.Complete), tr(1, 1, 3, search.Complete), tr(2, 2, 0, search.Failed),
			tr(3, 3, 4, search.Complete), tr(4, 4, 3, search.Complete),
		},
		Running: []search.Trial{tr(5, 5, 0, search.Running)},
	}
}

func TestHistoryHelpers(t *testing.T) {
	h := historyFixture()
	data := stats.Completed(h)
	var ids []int
	for _, d := range data {
		ids = append(ids, d.ID)
	}
	if fmt.Sprint(ids) != "[0 1 3 4]" {
		t.Errorf("Completed: %v", ids)
	}
	// Minimizing: 3 (trial 1, earliest on the tie), 3 (trial 4), 4, 5.
	if got := fmt.Sprint(stats.TopPoints(h, data, 3)); got != "[[1] [4] [3]]" {
		t.Errorf("TopPoints: %s", got)
	}
	keep := stats.BestAndRecent(h, data, 3) // the best one (trial 1) and the two most recent others
	ids = ids[:0]
	for _, d := range keep {
		ids = append(ids, d.ID)
	}
	if fmt.Sprint(ids) != "[1 3 4]" {
		t.Errorf("BestAndRecent: %v", ids)
	}
	seen := stats.NewSeen(h)
	for x := range 10 {
		if got, want := seen.Has(space.Point{float64(x)}), x <= 5; got != want {
			t.Errorf("Seen(%d) = %v", x, got)
		}
	}
	seen.Add(space.Point{7})
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		if p := seen.SampleUnseen(h.Space, rng, 1000); p[0] <= 5 || p[0] == 7 {
			t.Fatalf("SampleUnseen returned the seen point %v", p)
		}
	}
}
