package smac

import (
	"errors"
	"fmt"
	"math"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/stats"
	"github.com/morphml/morphml/core/stats/forest"
)

// Defaults.
const (
	DefaultStartupTrials  = 10
	DefaultTrees          = 10
	DefaultCandidates     = 500
	DefaultIncumbents     = 10
	DefaultRandomFraction = 0.2
	DefaultXi             = 0.0
)

// Config holds the settings of SMAC.
type Config struct {
	StartupTrials  int     // random trials before the forest is used (at least 2)
	Trees          int     // trees of the forest
	Candidates     int     // random points scored by each ask
	Incumbents     int     // best trials whose neighbourhoods the local search starts from
	RandomFraction float64 // probability that an ask is a random point (random interleaving)
	Xi             float64 // EI's minimum improvement, in units of the scores' standard deviation
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{StartupTrials: DefaultStartupTrials, Trees: DefaultTrees, Candidates: DefaultCandidates,
		Incumbents: DefaultIncumbents, RandomFraction: DefaultRandomFraction, Xi: DefaultXi}
}

// Validate checks the settings.
func (c Config) Validate() error {
	switch {
	case c.StartupTrials < 2:
		return fmt.Errorf("smac: startup trials %d < 2", c.StartupTrials)
	case c.Trees < 1:
		return fmt.Errorf("smac: trees %d < 1", c.Trees)
	case c.Candidates < 1:
		return fmt.Errorf("smac: candidates %d < 1", c.Candidates)
	case c.Incumbents < 0:
		return fmt.Errorf("smac: incumbents %d < 0", c.Incumbents)
	case !(c.RandomFraction >= 0 && c.RandomFraction <= 1):
		return fmt.Errorf("smac: random fraction %v is not in [0, 1]", c.RandomFraction)
	case !(c.Xi >= 0) || math.IsInf(c.Xi, 1):
		return fmt.Errorf("smac: xi %v is not a non-negative number", c.Xi)
	}
	return nil
}

// Optimizer is SMAC. It keeps no state.
type Optimizer struct {
	space *space.Space
	seed  int64
	cfg   Config
	enc   *stats.Encoding
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns SMAC over sp.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("smac: nil space")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Optimizer{space: sp, seed: seed, cfg: cfg, enc: stats.NewEncoding(sp)}, nil
}

// Config returns the optimizer's settings.
func (o *Optimizer) Config() Config { return o.cfg }

// Tell does nothing: Ask reads everything from the history.
func (o *Optimizer) Tell(search.Trial) error { return nil }

// Ask returns a random unseen point for the first StartupTrials completed
// trials and for a RandomFraction of the asks after that, and otherwise the
// unseen point with the best expected improvement under the forest.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	h = &hs
	rng := search.Rand(o.seed, h.Next)
	seen := stats.NewSeen(h)
	data := stats.Completed(h)
	interleave := rng.Float64() < o.cfg.RandomFraction
	if len(data) < o.cfg.StartupTrials || interleave || o.enc.Width() == 0 {
		return seen.SampleUnseen(o.space, rng, 100), nil
	}
	x := make([][]float64, len(data))
	y := make([]float64, len(data))
	best, mean := math.Inf(-1), 0.0
	for i, t := range data {
		x[i] = o.enc.Encode(t.Params, nil)
		y[i] = h.Score(t)
		best = math.Max(best, y[i])
		mean += y[i] / float64(len(y))
	}
	sd := 0.0
	for _, v := range y {
		sd += (v - mean) * (v - mean) / float64(len(y))
	}
	f, err := forest.Fit(x, y, forest.Config{Trees: o.cfg.Trees}, rng)
	if err != nil {
		return nil, fmt.Errorf("smac: ask %d: %w", h.Next, err)
	}
	xi := o.cfg.Xi * math.Sqrt(sd)
	buf := make([]float64, o.enc.Width())
	acq := func(p space.Point) float64 {
		m, v := f.Predict(o.enc.Encode(p, buf))
		return stats.LogExpectedImprovement(m, math.Sqrt(v), best, xi)
	}
	p, _, ok := stats.MaximizeAcquisition(o.space, acq, stats.TopPoints(h, data, o.cfg.Incumbents), seen.Has,
		stats.AcquisitionSearch{Random: o.cfg.Candidates}, rng)
	if !ok {
		return seen.SampleUnseen(o.space, rng, 100), nil
	}
	return p, nil
}

func init() {
	search.Register(search.Factory{
		Name: "smac",
		Doc:  "SMAC-style Bayesian optimization: a random forest, expected improvement, local search and random interleaving",
		Options: []search.Option{
			{Param: space.NewInt("n_startup_trials", 2, 1_000_000, false), Default: DefaultStartupTrials,
				Doc: "random completed trials before the forest is used"},
			{Param: space.NewInt("trees", 1, 10_000, false), Default: DefaultTrees,
				Doc: "trees of the random forest"},
			{Param: space.NewInt("candidates", 1, 1_000_000, false), Default: DefaultCandidates,
				Doc: "random points scored by each ask before the local search"},
			{Param: space.NewInt("incumbents", 0, 1_000, false), Default: DefaultIncumbents,
				Doc: "best trials whose neighbourhoods the local search starts from"},
			{Param: space.NewFloat("random_fraction", 0, 1, false), Default: DefaultRandomFraction,
				Doc: "probability that an ask is a uniformly random point (random interleaving)"},
			{Param: space.NewFloat("xi", 0, 10, false), Default: DefaultXi,
				Doc: "minimum improvement for EI, in standard deviations of the scores"},
		},
		New: func(sp *space.Space, seed int64, opts search.Options) (search.Optimizer, error) {
			return New(sp, seed, Config{
				StartupTrials:  int(option(opts, "n_startup_trials", DefaultStartupTrials)),
				Trees:          int(option(opts, "trees", DefaultTrees)),
				Candidates:     int(option(opts, "candidates", DefaultCandidates)),
				Incumbents:     int(option(opts, "incumbents", DefaultIncumbents)),
				RandomFraction: option(opts, "random_fraction", DefaultRandomFraction),
				Xi:             option(opts, "xi", DefaultXi),
			})
		},
	})
}

// option returns opts[name], or def when it is not set.
func option(opts search.Options, name string, def float64) float64 {
	if v, ok := opts[name]; ok {
		return v
	}
	return def
}
