package pruners

import (
	"fmt"
	"math"

	"github.com/morphml/morphml/core/search"
)

// MedianConfig holds the settings of the median stopping rule.
type MedianConfig struct {
	// WarmupSteps: no trial is stopped at a step below this.
	WarmupSteps int
	// MinTrials: no trial is stopped before this many finished trials
	// (complete or pruned) reached the step.
	MinTrials int
	// Pareto lists the trial attributes of objectives 1, 2, ... for
	// multi-objective studies (see the package doc); empty: objective 0 only.
	Pareto []string
}

// Median is the median stopping rule: at every step from WarmupSteps on, a
// trial whose best value so far is worse than the values of more than half
// of the finished trials that reached the step (their last report at or
// before it) is stopped. With Pareto the comparison is by non-dominated
// rank and crowding distance of the vectors.
type Median struct{ cfg MedianConfig }

var _ search.Pruner = (*Median)(nil)

// Default settings of the median stopping rule.
const (
	DefaultMedianWarmup    = 0
	DefaultMedianMinTrials = 5
)

// NewMedian returns the median stopping rule.
func NewMedian(cfg MedianConfig) (*Median, error) {
	if cfg.WarmupSteps < 0 {
		return nil, fmt.Errorf("pruners: median: warm-up steps %d < 0", cfg.WarmupSteps)
	}
	if cfg.MinTrials < 1 {
		return nil, fmt.Errorf("pruners: median: min trials %d < 1", cfg.MinTrials)
	}
	return &Median{cfg: cfg}, nil
}

// Config returns the settings.
func (m *Median) Config() MedianConfig { return m.cfg }

// Prune implements search.Pruner.
func (m *Median) Prune(h *search.History, t search.Trial) bool {
	if len(t.Curve) == 0 {
		return false
	}
	step := t.Curve[len(t.Curve)-1].Step
	if step < m.cfg.WarmupSteps {
		return false
	}
	c := newComparer(h, m.cfg.Pareto)
	best := math.NaN()
	for _, s := range t.Curve {
		if s.Step <= step && (math.IsNaN(best) || c.scalarBetter(s.Value, best)) {
			best = s.Value
		}
	}
	var peers []entry
	for _, p := range h.Done {
		if p.ID == t.ID || p.State != search.Complete && p.State != search.Pruned {
			continue
		}
		if v, ok := lastAtOrBefore(p.Curve, step); ok {
			peers = append(peers, c.entry(p, v))
		}
	}
	if len(peers) < m.cfg.MinTrials {
		return false
	}
	return 2*c.better(c.entry(t, best), peers) > len(peers)
}

// lastAtOrBefore returns the last value reported at a step <= step, for a
// curve that reached step (reported at it or beyond).
func lastAtOrBefore(curve []search.Step, step int) (float64, bool) {
	v, ok, reached := 0.0, false, false
	for _, s := range curve {
		if s.Step <= step {
			v, ok = s.Value, true
		}
		if s.Step >= step {
			reached = true
		}
	}
	return v, ok && reached
}
