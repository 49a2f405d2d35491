package search_test

import (
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// recorder remembers the histories it is asked with.
type recorder struct {
	seen []search.History
	told []int
}

func (r *recorder) Ask(h *search.History) (space.Point, error) {
	r.seen = append(r.seen, *h)
	return space.Point{0}, nil
}

func (r *recorder) Tell(t search.Trial) error {
	r.told = append(r.told, t.ID)
	return nil
}

func TestWarmStart(t *testing.T) {
	sp := &space.Space{Name: "s", Params: []space.Param{space.NewCategorical("a", "x", "y", "z")}}
	prior := []search.Trial{
		{ID: 7, Params: space.Point{1}, State: search.Complete, Values: []float64{3}},
		{ID: 8, Params: space.Point{2}, State: search.Running},
		{ID: 9, Params: space.Point{2}, State: search.Failed},
	}
	rec := &recorder{}
	w := search.WarmStart(rec, prior)
	prior[0].Params[0] = 0 // the wrapper keeps its own copy
	own := []search.Trial{{ID: 0, Params: space.Point{0}, State: search.Complete, Values: []float64{1}}}
	if _, err := w.Ask(&search.History{Space: sp, Done: own, Next: 1}); err != nil {
		t.Fatal(err)
	}
	h := rec.seen[0]
	if len(h.Done) != 3 || h.Next != 1 {
		t.Fatalf("the optimizer saw %d done trials (next %d), want 2 priors + 1", len(h.Done), h.Next)
	}
	if h.Done[0].ID != -2 || h.Done[1].ID != -1 || h.Done[2].ID != 0 {
		t.Errorf("IDs %d %d %d, want -2 -1 0", h.Done[0].ID, h.Done[1].ID, h.Done[2].ID)
	}
	if h.Done[0].Params[0] != 1 || h.Done[1].State != search.Failed {
		t.Errorf("priors %+v", h.Done[:2])
	}
	if err := w.Tell(own[0]); err != nil || len(rec.told) != 1 || rec.told[0] != 0 {
		t.Errorf("Tell passed %v (%v)", rec.told, err)
	}
	// A prior outside the space is an error at Ask.
	bad := search.WarmStart(rec, []search.Trial{{Params: space.Point{5}, State: search.Complete, Values: []float64{1}}})
	if _, err := bad.Ask(&search.History{Space: sp}); err == nil {
		t.Error("prior outside the space: no error")
	}
}
