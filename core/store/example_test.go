package store_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/store"
)

func ExampleNewMemory() {
	s := store.NewMemory()
	defer s.Close()
	err := s.CreateStudy(search.StudyInfo{
		Name:       "demo",
		Directions: []search.Direction{search.Maximize},
		Params:     []space.Param{space.NewCategorical("op", "conv3x3", "skip")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	t := search.Trial{ID: 0, Params: space.Point{0}, Started: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	_ = s.StartTrial("demo", t)
	_ = s.Report("demo", 0, 1, 0.71) // an intermediate value, e.g. after epoch 1
	t.State, t.Values, t.Finished = search.Complete, []float64{0.93}, t.Started.Add(90*time.Second)
	fmt.Println(s.FinishTrial("demo", t))
	// A result is recorded once: the second writer is told, and nothing changes.
	err = s.FinishTrial("demo", t)
	fmt.Println(errors.Is(err, search.ErrTrialFinished), err)

	trials, _ := s.Trials("demo")
	for _, tr := range trials {
		fmt.Println(tr.ID, tr.State, tr.Values, tr.Curve, tr.Duration())
	}
	// Output:
	// <nil>
	// true study "demo": trial 0: trial already finished
	// 0 complete [0.93] [{1 0.71}] 1m30s
}
