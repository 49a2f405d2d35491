package pruners

import (
	"fmt"
	"math"

	"github.com/morphml/morphml/core/search"
)

// HyperbandConfig holds the settings of Hyperband.
type HyperbandConfig struct {
	MinResource float64 // the first rung of the most aggressive bracket (> 0)
	MaxResource float64 // the full budget of a trial (> MinResource)
	Eta         float64 // the reduction factor (> 1)
	// MinTrials: a rung of a bracket stops no trial before this many
	// trials of the bracket reached it (the trial itself included).
	MinTrials int
	// Pareto lists the trial attributes of objectives 1, 2, ... for
	// multi-objective studies (see the package doc); empty: objective 0 only.
	Pareto []string
}

// Hyperband runs brackets b = 0 … B of asynchronous successive halving,
// B = floor(log_Eta(MaxResource/MinResource)): bracket b's rungs are
// MinResource·Eta^k for k >= b, below MaxResource, so bracket 0 prunes the
// most and bracket B not at all. Trials are compared only with trials of
// their own bracket. Trial id's bracket is a hash of id, drawn with the
// weights of Li et al. (bracket b gets ceil((B+1)/(B−b+1)·Eta^(B−b))
// trials per round), so it is the same in every run and needs no state.
type Hyperband struct {
	cfg     HyperbandConfig
	rungs   [][]float64 // by bracket
	weights []int       // trials per round, by bracket
	total   int
}

var _ search.Pruner = (*Hyperband)(nil)

// NewHyperband returns Hyperband.
func NewHyperband(cfg HyperbandConfig) (*Hyperband, error) {
	hc := HalvingConfig{MinResource: cfg.MinResource, Eta: cfg.Eta, MaxResource: cfg.MaxResource, MinTrials: cfg.MinTrials}
	if err := hc.validate("hyperband", false); err != nil {
		return nil, err
	}
	if !(cfg.MaxResource > cfg.MinResource) || math.IsInf(cfg.MaxResource, 1) {
		return nil, fmt.Errorf("pruners: hyperband: max resource %v must be a number above min resource %v", cfg.MaxResource, cfg.MinResource)
	}
	B := int(math.Floor(math.Log(cfg.MaxResource/cfg.MinResource)/math.Log(cfg.Eta) + 1e-9))
	hb := &Hyperband{cfg: cfg}
	for b := 0; b <= B; b++ {
		hb.rungs = append(hb.rungs, rungs(cfg.MinResource, cfg.Eta, cfg.MaxResource, b))
		s := B - b
		n := int(math.Ceil(float64(B+1) / float64(s+1) * math.Pow(cfg.Eta, float64(s))))
		hb.weights = append(hb.weights, n)
		hb.total += n
	}
	return hb, nil
}

// Config returns the settings.
func (hb *Hyperband) Config() HyperbandConfig { return hb.cfg }

// Brackets returns the rungs of each bracket, from the most aggressive.
func (hb *Hyperband) Brackets() [][]float64 {
	out := make([][]float64, len(hb.rungs))
	for i, r := range hb.rungs {
		out[i] = append([]float64(nil), r...)
	}
	return out
}

// Bracket returns the bracket of trial id.
func (hb *Hyperband) Bracket(id int) int {
	x := mix(uint64(id)) % uint64(hb.total)
	for b, w := range hb.weights {
		if x < uint64(w) {
			return b
		}
		x -= uint64(w)
	}
	return len(hb.weights) - 1
}

// mix is the SplitMix64 finalizer: a fixed, well-spread hash of an integer.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Prune implements search.Pruner.
func (hb *Hyperband) Prune(h *search.History, t search.Trial) bool {
	b := hb.Bracket(t.ID)
	same := func(p search.Trial) bool { return hb.Bracket(p.ID) == b }
	return halving(h, t, hb.rungs[b], hb.cfg.Eta, hb.cfg.MinTrials, hb.cfg.Pareto, same)
}
