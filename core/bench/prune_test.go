package bench_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/search"
)

func curve(n int) []search.Step {
	c := make([]search.Step, n)
	for i := range c {
		c[i] = search.Step{Step: i + 1, Value: float64(10 * i)}
	}
	return c
}

func TestSummarizeTraining(t *testing.T) {
	trials := []search.Trial{
		{ID: 0, State: search.Complete, Values: []float64{91}, Curve: curve(12),
			Attrs: map[string]string{"epochs": "12", "train_time_s": "2.5", "test_acc": "90.5"}},
		{ID: 1, State: search.Pruned, Curve: curve(1), Attrs: map[string]string{"epochs": "1", "train_time_s": "0.25"}},
		{ID: 2, State: search.Complete, Values: []float64{97}, Curve: curve(9),
			Attrs: map[string]string{"epochs": "9", "train_time_s": "2", "test_acc": "96.25"}},
		{ID: 3, State: search.Failed},
		{ID: 4, State: search.Complete, Values: []float64{97}, Curve: curve(3),
			Attrs: map[string]string{"epochs": "3", "test_acc": "99"}}, // a tie: the earlier trial stays best
		{ID: 5, State: search.Running, Curve: curve(4)},
	}
	r := bench.SummarizeTraining("asha", trials, 3*time.Second)
	want := bench.PruneRun{Label: "asha", Trials: 5, Pruned: 1, Failed: 1, Epochs: 25, TrainSeconds: 4.75,
		Wall: 3 * time.Second, Best: 2, BestVal: 97, BestTest: 96.25}
	if r != want {
		t.Errorf("SummarizeTraining = %+v, want %+v", r, want)
	}
	none := bench.SummarizeTraining("x", nil, 0)
	if none.Best != -1 || !math.IsNaN(none.BestVal) || !math.IsNaN(none.BestTest) {
		t.Errorf("no trials: %+v", none)
	}
	c := bench.PruneComparison{Title: "t", Without: bench.SummarizeTraining("no pruning", trials[:1], 4*time.Second), With: r}
	if got := c.EpochRatio(); math.Abs(got-25.0/12) > 1e-12 {
		t.Errorf("EpochRatio = %v", got)
	}
	for _, s := range []string{c.String(), c.Markdown()} {
		for _, want := range []string{"no pruning", "asha", "trials pruned", "epochs trained", "96.25", "90.50", "#2"} {
			if !strings.Contains(s, want) {
				t.Errorf("rendering lacks %q:\n%s", want, s)
			}
		}
	}
}
