package search_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/store"
)

// A study interrupted by cancellation and reopened from its store continues
// exactly where it stopped: the trials equal those of an uninterrupted run.
func TestResumeFromStorage(t *testing.T) {
	const total, parallel = 60, 3
	whole := newStudy(t, search.StudyConfig{Seed: 5})
	if err := whole.Optimize(context.Background(), jitteryObjective(1), search.Budget{Trials: total, Parallel: parallel}); err != nil {
		t.Fatal(err)
	}

	mem := store.NewMemory()
	ctx, cancel := context.WithCancel(context.Background())
	stopAt := search.ObjectiveFunc(func(c context.Context, r *search.Run) ([]float64, error) {
		if r.ID == 25 {
			cancel()
			<-c.Done()
		}
		return []float64{bowl(r)}, nil
	})
	first := newStudy(t, search.StudyConfig{Seed: 5, Storage: mem})
	if err := first.Optimize(ctx, stopAt, search.Budget{Trials: total, Parallel: parallel}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	stored, err := mem.Trials("test")
	if err != nil {
		t.Fatal(err)
	}
	running := 0
	for _, tr := range stored {
		if tr.State == search.Running {
			running++
		}
	}
	if running == 0 || len(stored) >= total {
		t.Fatalf("stored %d trials, %d running: the interruption did not happen mid-search", len(stored), running)
	}

	resumed := newStudy(t, search.StudyConfig{Seed: 5, Storage: mem})
	if resumed.Len() != len(stored) {
		t.Fatalf("reopened study has %d trials, store %d", resumed.Len(), len(stored))
	}
	if err := resumed.Optimize(context.Background(), jitteryObjective(2), search.Budget{Trials: total - len(stored), Parallel: parallel}); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(params(resumed), ";"), strings.Join(params(whole), ";"); got != want {
		t.Fatal("the resumed study asked other points than the uninterrupted one")
	}
	final, _ := mem.Trials("test")
	if len(final) != total {
		t.Fatalf("%d trials stored, want %d", len(final), total)
	}
	for _, tr := range final {
		if tr.State != search.Complete {
			t.Fatalf("trial %d is %v", tr.ID, tr.State)
		}
	}
}

func TestReopenWithOtherSpaceFails(t *testing.T) {
	mem := store.NewMemory()
	newStudy(t, search.StudyConfig{Storage: mem})
	sp := hpoSpace()
	sp.Params = sp.Params[:2]
	_, err := search.NewStudy(search.StudyConfig{Name: "test", Space: sp, Optimizer: climber{}, Storage: mem})
	if err == nil || !strings.Contains(err.Error(), "another definition") {
		t.Fatalf("err = %v", err)
	}
}
