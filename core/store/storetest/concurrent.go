package storetest

import (
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/morphml/morphml/core/search"
)

// errs collects errors from goroutines, which must not call t.Fatal.
type errs struct {
	mu   sync.Mutex
	list []error
}

func (e *errs) add(err error) {
	e.mu.Lock()
	e.list = append(e.list, err)
	e.mu.Unlock()
}

func (e *errs) report(t *testing.T) {
	t.Helper()
	for i, err := range e.list {
		if i == 10 {
			t.Errorf("... and %d more errors", len(e.list)-i)
			break
		}
		t.Error(err)
	}
	if len(e.list) > 0 {
		t.FailNow()
	}
}

// testConcurrentFinish has many goroutines start, report and read trials,
// then race to finish each one: exactly one writer wins each trial and the
// stored trial is the winner's.
func testConcurrentFinish(t *testing.T, s search.Storage) {
	const study, n, writers, steps = "race", 24, 8, 3
	create(t, s, study)
	var failed errs
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for id := w; id < n; id += writers {
				if err := s.StartTrial(study, Running(id)); err != nil {
					failed.add(err)
					return
				}
				for step := range steps {
					if err := s.Report(study, id, step, float64(step)/10); err != nil {
						failed.add(err)
					}
				}
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for range 10 {
				if _, err := s.Trials(study); err != nil {
					failed.add(err)
				}
			}
		})
	}
	wg.Wait()
	failed.report(t)

	var mu sync.Mutex
	winners := make([][]int, n)
	ready := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			<-ready
			for k := range n {
				id := (k + 3*w) % n
				tr := Finished(id)
				tr.Values = []float64{float64(w)}
				tr.Curve = nil
				tr.Attrs = map[string]string{"writer": strconv.Itoa(w)}
				err := s.FinishTrial(study, tr)
				switch {
				case err == nil:
					mu.Lock()
					winners[id] = append(winners[id], w)
					mu.Unlock()
				case !errors.Is(err, search.ErrTrialFinished):
					failed.add(fmt.Errorf("writer %d, trial %d: %w", w, id, err))
				}
			}
		})
	}
	wg.Go(func() {
		<-ready
		for range 10 {
			if _, err := s.Trials(study); err != nil {
				failed.add(err)
			}
		}
	})
	close(ready)
	wg.Wait()
	failed.report(t)

	want := make([]search.Trial, n)
	for id := range n {
		if len(winners[id]) != 1 {
			t.Fatalf("trial %d was finished by writers %v, want exactly one", id, winners[id])
		}
		w := winners[id][0]
		want[id] = Finished(id)
		want[id].Values = []float64{float64(w)}
		want[id].Attrs = map[string]string{"writer": strconv.Itoa(w)}
		want[id].Curve = nil
		for step := range steps {
			want[id].Curve = append(want[id].Curve, search.Step{Step: step, Value: float64(step) / 10})
		}
	}
	wantTrials(t, s, study, want...)
}

// testConcurrentStudies creates studies from many goroutines at once; of
// those that create the same study, exactly one succeeds.
func testConcurrentStudies(t *testing.T, s search.Storage) {
	const workers = 8
	var failed errs
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for w := range workers {
		wg.Go(func() {
			switch err := s.CreateStudy(Study("shared")); {
			case err == nil:
				mu.Lock()
				created++
				mu.Unlock()
			case !errors.Is(err, search.ErrStudyExists):
				failed.add(err)
			}
			own := fmt.Sprintf("own-%d", w)
			if err := s.CreateStudy(Study(own)); err != nil {
				failed.add(err)
				return
			}
			for id := range 4 {
				for _, err := range []error{
					s.StartTrial(own, Running(id)),
					s.FinishTrial(own, Finished(id)),
					s.StartTrial("shared", Running(w*4+id)),
				} {
					if err != nil {
						failed.add(err)
					}
				}
			}
		})
	}
	wg.Wait()
	failed.report(t)
	if created != 1 {
		t.Errorf("%d goroutines created the shared study, want 1", created)
	}
	list, err := s.ListStudies()
	must(t, err)
	if len(list) != workers+1 {
		t.Errorf("ListStudies: %d studies, want %d", len(list), workers+1)
	}
	for w := range workers {
		wantTrials(t, s, fmt.Sprintf("own-%d", w), Finished(0), Finished(1), Finished(2), Finished(3))
	}
	var shared []search.Trial
	for id := range workers * 4 {
		shared = append(shared, asStarted(Running(id)))
	}
	wantTrials(t, s, "shared", shared...)
}
