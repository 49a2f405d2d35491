package bananas

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/stats"
	"github.com/morphml/morphml/core/stats/forest"
)

// Acquisition is how candidates are ranked from the ensemble's predictions.
type Acquisition int

const (
	// ITS is independent Thompson sampling: each candidate's value is drawn
	// from N(mean, std^2) of the ensemble's predictions, independently.
	ITS Acquisition = iota
	// UCB is mean + Beta*std.
	UCB
)

var acquisitionNames = []string{"its", "ucb"}

func (a Acquisition) String() string {
	if a >= 0 && int(a) < len(acquisitionNames) {
		return acquisitionNames[a]
	}
	return fmt.Sprintf("Acquisition(%d)", int(a))
}

// Defaults.
const (
	DefaultStartupTrials = 10
	DefaultEnsemble      = 10
	DefaultParents       = 10
	DefaultMutations     = 20
	DefaultBeta          = 0.5
)

// Config holds the settings of BANANAS.
type Config struct {
	StartupTrials int         // random trials before the predictor is used (at least 2)
	Ensemble      int         // members of the predictor's ensemble (trees of the forest)
	Parents       int         // best trials whose mutations are the candidates
	Mutations     int         // candidates per parent
	Acquisition   Acquisition // ITS or UCB
	Beta          float64     // UCB's weight of the ensemble's standard deviation
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{StartupTrials: DefaultStartupTrials, Ensemble: DefaultEnsemble, Parents: DefaultParents,
		Mutations: DefaultMutations, Acquisition: ITS, Beta: DefaultBeta}
}

// Validate checks the settings.
func (c Config) Validate() error {
	switch {
	case c.StartupTrials < 2:
		return fmt.Errorf("bananas: startup trials %d < 2", c.StartupTrials)
	case c.Ensemble < 2:
		return fmt.Errorf("bananas: ensemble of %d < 2", c.Ensemble)
	case c.Parents < 1:
		return fmt.Errorf("bananas: parents %d < 1", c.Parents)
	case c.Mutations < 1:
		return fmt.Errorf("bananas: mutations %d < 1", c.Mutations)
	case c.Acquisition != ITS && c.Acquisition != UCB:
		return fmt.Errorf("bananas: unknown acquisition %v", c.Acquisition)
	case !(c.Beta >= 0) || math.IsInf(c.Beta, 1):
		return fmt.Errorf("bananas: beta %v is not a non-negative number", c.Beta)
	}
	return nil
}

// Optimizer is BANANAS-style predictor-guided search. It keeps no state.
type Optimizer struct {
	space *space.Space
	seed  int64
	cfg   Config
	enc   *Encoding
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns BANANAS over sp.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("bananas: nil space")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Optimizer{space: sp, seed: seed, cfg: cfg, enc: NewEncoding(sp)}, nil
}

// Config returns the optimizer's settings.
func (o *Optimizer) Config() Config { return o.cfg }

// Encoding returns the encoding the predictor reads.
func (o *Optimizer) Encoding() *Encoding { return o.enc }

// Tell does nothing: Ask reads everything from the history.
func (o *Optimizer) Tell(search.Trial) error { return nil }

// Ask returns a random unseen point for the first StartupTrials completed
// trials; after that, the unseen mutation of one of the best trials that
// the acquisition ranks first.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	h = &hs
	rng := search.Rand(o.seed, h.Next)
	seen := stats.NewSeen(h)
	data := stats.Completed(h)
	if len(data) < o.cfg.StartupTrials || o.enc.Width() == 0 {
		return seen.SampleUnseen(o.space, rng, 100), nil
	}
	x := make([][]float64, len(data))
	y := make([]float64, len(data))
	for i, t := range data {
		x[i], y[i] = o.enc.Encode(t.Params), h.Score(t)
	}
	f, err := forest.Fit(x, y, forest.Config{Trees: o.cfg.Ensemble, MinSamplesSplit: 2}, rng)
	if err != nil {
		return nil, fmt.Errorf("bananas: ask %d: %w", h.Next, err)
	}
	// Candidates: mutations (one or two parameters changed) of the best.
	var cands []space.Point
	for _, parent := range stats.TopPoints(h, data, o.cfg.Parents) {
		for range o.cfg.Mutations {
			c := o.space.Mutate(parent, rng)
			if rng.IntN(2) == 1 {
				c = o.space.Mutate(c, rng)
			}
			if !seen.Has(c) {
				seen.Add(c)
				cands = append(cands, c)
			}
		}
	}
	if len(cands) == 0 {
		return seen.SampleUnseen(o.space, rng, 100), nil
	}
	type scored struct {
		p space.Point
		v float64
	}
	ranked := make([]scored, len(cands))
	for i, c := range cands {
		m, v := f.Predict(o.enc.Encode(c))
		s := math.Sqrt(v)
		if o.cfg.Acquisition == UCB {
			ranked[i] = scored{c, m + o.cfg.Beta*s}
		} else {
			ranked[i] = scored{c, m + s*rng.NormFloat64()}
		}
	}
	sort.SliceStable(ranked, func(a, b int) bool { return ranked[a].v > ranked[b].v })
	return ranked[0].p, nil
}

func init() {
	search.Register(search.Factory{
		Name: "bananas",
		Doc:  "BANANAS-style search: an ensemble predictor on path encodings ranks mutations of the best trials (Thompson sampling or UCB)",
		Options: []search.Option{
			{Param: space.NewInt("n_startup_trials", 2, 1_000_000, false), Default: DefaultStartupTrials,
				Doc: "random completed trials before the predictor is used"},
			{Param: space.NewInt("ensemble", 2, 10_000, false), Default: DefaultEnsemble,
				Doc: "members of the predictor's ensemble (trees of a random forest)"},
			{Param: space.NewInt("parents", 1, 10_000, false), Default: DefaultParents,
				Doc: "best trials whose mutations are the candidates"},
			{Param: space.NewInt("mutations", 1, 100_000, false), Default: DefaultMutations,
				Doc: "candidates drawn per parent (one or two parameters changed)"},
			{Param: space.NewCategorical("acquisition", acquisitionNames...), Default: float64(ITS),
				Doc: "its: independent Thompson sampling; ucb: mean + beta*std"},
			{Param: space.NewFloat("beta", 0, 100, false), Default: DefaultBeta,
				Doc: "UCB's weight of the ensemble's standard deviation"},
		},
		New: func(sp *space.Space, seed int64, opts search.Options) (search.Optimizer, error) {
			return New(sp, seed, Config{
				StartupTrials: int(option(opts, "n_startup_trials", DefaultStartupTrials)),
				Ensemble:      int(option(opts, "ensemble", DefaultEnsemble)),
				Parents:       int(option(opts, "parents", DefaultParents)),
				Mutations:     int(option(opts, "mutations", DefaultMutations)),
				Acquisition:   Acquisition(option(opts, "acquisition", float64(ITS))),
				Beta:          option(opts, "beta", DefaultBeta),
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
