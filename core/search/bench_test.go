package search_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/optimizers/random"
	"github.com/morphml/morphml/core/search"
)

// BenchmarkAskTell drives a study of n trials by hand (Ask, then Tell) with
// random search on the 20-parameter Mixed20 space and reports the mean time
// of one Ask+Tell over the whole study: the study's bookkeeping plus the
// cheapest optimizer. It stays flat in n when nothing is O(n) per ask.
func BenchmarkAskTell(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint("trials=", n), func(b *testing.B) {
			sp := opttest.Mixed20()
			studies := 0
			for b.Loop() {
				st, err := search.NewStudy(search.StudyConfig{Name: "bench", Space: sp, Optimizer: random.New(sp, 1),
					Directions: []search.Direction{search.Minimize}, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
				for range n {
					t, err := st.Ask()
					if err != nil {
						b.Fatal(err)
					}
					if _, err := st.Tell(t.ID, []float64{opttest.Mixed20Point(sp, t.Params)}, nil); err != nil {
						b.Fatal(err)
					}
				}
				studies++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(studies*n), "ns/asktell")
		})
	}
}

// BenchmarkOptimize runs Optimize for n trials of an instant objective with
// random search, one and four evaluations at a time, and reports the mean
// time per trial: the loop's overhead.
func BenchmarkOptimize(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for _, p := range []int{1, 4} {
			b.Run(fmt.Sprintf("trials=%d/parallel=%d", n, p), func(b *testing.B) {
				sp := opttest.Mixed20()
				obj := search.ObjectiveFunc(func(_ context.Context, r *search.Run) ([]float64, error) {
					return []float64{opttest.Mixed20Point(sp, r.Params)}, nil
				})
				studies := 0
				for b.Loop() {
					st, err := search.NewStudy(search.StudyConfig{Name: "bench", Space: sp, Optimizer: random.New(sp, 1),
						Directions: []search.Direction{search.Minimize}, Seed: 1})
					if err != nil {
						b.Fatal(err)
					}
					if err := st.Optimize(context.Background(), obj, search.Budget{Trials: n, Parallel: p}); err != nil {
						b.Fatal(err)
					}
					studies++
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(studies*n), "ns/trial")
			})
		}
	}
}
