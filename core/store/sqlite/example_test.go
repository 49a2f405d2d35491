package sqlite_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/store/sqlite"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "morphml")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "study.db")

	s, err := sqlite.Open(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = s.CreateStudy(search.StudyInfo{
		Name:       "cifar",
		Directions: []search.Direction{search.Maximize, search.Minimize},
		Params:     []space.Param{space.NewInt("width", 16, 128, true)},
		Optimizer:  "evolution",
		Seed:       1,
	})
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	_ = s.StartTrial("cifar", search.Trial{ID: 0, Params: space.Point{64}, Started: start})
	_ = s.FinishTrial("cifar", search.Trial{
		ID:       0,
		State:    search.Complete,
		Values:   []float64{0.91, math.Inf(1)}, // NaN and ±Inf are kept
		Curve:    []search.Step{{Step: 1, Value: 0.62}, {Step: 2, Value: 0.91}},
		Finished: start.Add(time.Minute),
	})
	_ = s.Close()

	// Another process (or a resumed run) opens the file and finds it all.
	s, err = sqlite.Open(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	info, _ := s.LoadStudy("cifar")
	fmt.Println(info.Name, info.Directions, info.Params[0].Name, info.Optimizer)
	trials, _ := s.Trials("cifar")
	for _, t := range trials {
		fmt.Println(t.ID, t.Params, t.State, t.Values, t.Curve, t.Duration())
	}
	// Output:
	// cifar [maximize minimize] width evolution
	// 0 [64] complete [0.91 +Inf] [{1 0.62} {2 0.91}] 1m0s
}
