package search_test

import (
	"sync"
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// tellOrder is a random optimizer that records the IDs it is told.
type tellOrder struct {
	told []int
}

func (o *tellOrder) Ask(h *search.History) (space.Point, error) {
	return search.SampleUnseen(h, search.Rand(1, h.Next), 10), nil
}

func (o *tellOrder) Tell(t search.Trial) error {
	o.told = append(o.told, t.ID) // the study serializes Ask and Tell
	return nil
}

// TestConcurrentAskTell drives one study from several goroutines: every
// trial gets its own ID and the optimizer is told each one once, in order.
func TestConcurrentAskTell(t *testing.T) {
	opt := &tellOrder{}
	s := newStudy(t, search.StudyConfig{Optimizer: opt})
	const workers, each = 8, 50
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				tr, err := s.Ask()
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Tell(tr.ID, []float64{float64(w*each + i)}, nil); err != nil {
					t.Error(err)
					return
				}
				if _, ok := s.Best(); !ok {
					t.Error("no best trial after a tell")
				}
			}
		}()
	}
	wg.Wait()
	trials := s.Trials()
	if len(trials) != workers*each {
		t.Fatalf("%d trials, want %d", len(trials), workers*each)
	}
	for i, tr := range trials {
		if tr.ID != i || tr.State != search.Complete {
			t.Fatalf("trial %d: ID %d, state %v", i, tr.ID, tr.State)
		}
	}
	if len(opt.told) != len(trials) {
		t.Fatalf("told %d trials, want %d", len(opt.told), len(trials))
	}
	for i, id := range opt.told {
		if id != i {
			t.Fatalf("tell %d was trial %d: out of order", i, id)
		}
	}
}
