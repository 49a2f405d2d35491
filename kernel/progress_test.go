package kernel

import (
	"context"
	"strings"
	"testing"
	"time"

	_ "github.com/morphml/morphml/core/optimizers" // registers "random"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/kernel/display"
	"github.com/morphml/morphml/kernel/nb"
)

// searchExec runs a search of 150 trials of 4 ms each with nb.Optimize.
type searchExec struct{ echoExec }

func (*searchExec) Execute(ctx context.Context, code string, out Output) (*display.Bundle, error) {
	leave := nb.Enter(ctx, out)
	defer leave()
	sp := space.NB201(10)
	opt, err := search.NewOptimizer("random", sp, 1, nil)
	if err != nil {
		return nil, err
	}
	st, err := search.NewStudy(search.StudyConfig{Name: "progress", Space: sp, Optimizer: opt})
	if err != nil {
		return nil, err
	}
	obj := search.ObjectiveFunc(func(ctx context.Context, r *search.Run) ([]float64, error) {
		time.Sleep(4 * time.Millisecond)
		return []float64{float64(r.ID % 17)}, nil
	})
	return nil, nb.Optimize(st, obj, search.Budget{Trials: 150})
}

// TestProgressUpdatesInPlace checks that a search shows one display and
// redraws it a few times a second, not once per trial.
func TestProgressUpdatesInPlace(t *testing.T) {
	c := startKernel(t, &searchExec{})
	start := time.Now()
	id := c.send(c.shell, "execute_request", map[string]any{"code": "search"})
	types := c.iopubUntilIdle(id)
	elapsed := time.Since(start)
	r := c.recv(c.shell)
	if !strings.Contains(string(r.Content), `"status":"ok"`) {
		t.Fatalf("reply %s", r.Content)
	}
	n := map[string]int{}
	for _, typ := range types {
		n[typ]++
	}
	// 150 trials of 4 ms: about 0.6 s, so 2 or 3 redraws at 4 a second,
	// and the final one
	maxUpdates := int(elapsed/(250*time.Millisecond)) + 2
	if n["display_data"] != 1 || n["update_display_data"] < 2 || n["update_display_data"] > maxUpdates {
		t.Errorf("in %v: %d display_data, %d update_display_data (want 1, and 2..%d)", elapsed,
			n["display_data"], n["update_display_data"], maxUpdates)
	}
	t.Logf("%v: %v", elapsed, n)
}
