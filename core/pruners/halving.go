package pruners

import (
	"fmt"
	"math"

	"github.com/morphml/morphml/core/search"
)

// HalvingConfig holds the settings of successive halving and ASHA.
type HalvingConfig struct {
	// MinResource is the step of the first rung (> 0).
	MinResource float64
	// Eta is the reduction factor (> 1): rungs are MinResource·Eta^k and
	// each keeps the top 1/Eta.
	Eta float64
	// MaxResource, when > 0, is the full budget of a trial: no rung at or
	// above it.
	MaxResource float64
	// Cohort (successive halving only) is the number of consecutive trial
	// IDs that compete with each other (>= 1).
	Cohort int
	// MinTrials (ASHA only): a rung stops no trial before this many trials
	// reached it (the trial itself included).
	MinTrials int
	// Pareto lists the trial attributes of objectives 1, 2, ... for
	// multi-objective studies (see the package doc); empty: objective 0 only.
	Pareto []string
}

// Default settings of successive halving, ASHA and Hyperband.
const (
	DefaultMinResource = 1
	DefaultEta         = 3
	DefaultCohort      = 27 // Eta^3: three halvings of a cohort
	DefaultMinTrials   = 3  // Eta: the first quota that keeps one trial
)

// DefaultHalvingConfig returns the default settings (no MaxResource).
func DefaultHalvingConfig() HalvingConfig {
	return HalvingConfig{MinResource: DefaultMinResource, Eta: DefaultEta, Cohort: DefaultCohort, MinTrials: DefaultMinTrials}
}

func (c HalvingConfig) validate(who string, cohort bool) error {
	switch {
	case !(c.MinResource > 0) || math.IsInf(c.MinResource, 1):
		return fmt.Errorf("pruners: %s: min resource %v is not a positive number", who, c.MinResource)
	case !(c.Eta > 1) || math.IsInf(c.Eta, 1):
		return fmt.Errorf("pruners: %s: eta %v is not a number > 1", who, c.Eta)
	case c.MaxResource < 0 || math.IsNaN(c.MaxResource):
		return fmt.Errorf("pruners: %s: max resource %v < 0", who, c.MaxResource)
	case cohort && c.Cohort < 1:
		return fmt.Errorf("pruners: %s: cohort %d < 1", who, c.Cohort)
	case c.MinTrials < 0:
		return fmt.Errorf("pruners: %s: min trials %d < 0", who, c.MinTrials)
	}
	return nil
}

// SuccessiveHalving is successive halving over cohorts of Cohort
// consecutive trial IDs: at rung k (step MinResource·Eta^k) a cohort keeps
// its best max(1, floor(Cohort/Eta^(k+1))) trials, and a trial is stopped
// at the rung as soon as that many trials of its cohort are known to be
// better there. It never waits: a trial that is stopped is one that the
// synchronous algorithm would not have kept at that rung either among the
// trials that reached it; a trial may go on while its cohort is still
// filling up.
type SuccessiveHalving struct {
	cfg   HalvingConfig
	rungs []float64
}

var _ search.Pruner = (*SuccessiveHalving)(nil)

// NewSuccessiveHalving returns successive halving (MinTrials is ignored).
func NewSuccessiveHalving(cfg HalvingConfig) (*SuccessiveHalving, error) {
	if err := cfg.validate("successive halving", true); err != nil {
		return nil, err
	}
	return &SuccessiveHalving{cfg: cfg, rungs: rungs(cfg.MinResource, cfg.Eta, cfg.MaxResource, 0)}, nil
}

// Config returns the settings.
func (s *SuccessiveHalving) Config() HalvingConfig { return s.cfg }

// Rungs returns the steps at which trials are judged.
func (s *SuccessiveHalving) Rungs() []float64 { return append([]float64(nil), s.rungs...) }

// Prune implements search.Pruner.
func (s *SuccessiveHalving) Prune(h *search.History, t search.Trial) bool {
	c := newComparer(h, s.cfg.Pareto)
	cohort := t.ID / s.cfg.Cohort
	same := func(p search.Trial) bool { return p.ID/s.cfg.Cohort == cohort }
	for _, k := range crossed(t.Curve, s.rungs) {
		v, _ := valueAt(t.Curve, s.rungs[k])
		quota := max(1, int(math.Floor(float64(s.cfg.Cohort)/math.Pow(s.cfg.Eta, float64(k+1)))))
		if c.better(c.entry(t, v), c.peersAt(h, t, s.rungs[k], same)) >= quota {
			return true
		}
	}
	return false
}

// ASHA is asynchronous successive halving: when a trial reaches rung k
// (step MinResource·Eta^k) it goes on only if fewer than
// max(1, floor(n/Eta)) of the n trials that reached the rung so far (itself
// included, running trials too) are better there; a rung stops nothing
// before MinTrials trials reached it.
type ASHA struct {
	cfg   HalvingConfig
	rungs []float64
}

var _ search.Pruner = (*ASHA)(nil)

// NewASHA returns ASHA (Cohort is ignored).
func NewASHA(cfg HalvingConfig) (*ASHA, error) {
	if err := cfg.validate("asha", false); err != nil {
		return nil, err
	}
	return &ASHA{cfg: cfg, rungs: rungs(cfg.MinResource, cfg.Eta, cfg.MaxResource, 0)}, nil
}

// Config returns the settings.
func (a *ASHA) Config() HalvingConfig { return a.cfg }

// Rungs returns the steps at which trials are judged.
func (a *ASHA) Rungs() []float64 { return append([]float64(nil), a.rungs...) }

// Prune implements search.Pruner.
func (a *ASHA) Prune(h *search.History, t search.Trial) bool {
	return halving(h, t, a.rungs, a.cfg.Eta, a.cfg.MinTrials, a.cfg.Pareto, nil)
}
