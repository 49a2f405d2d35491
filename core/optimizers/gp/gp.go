package gp

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"sync"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/stats"
)

// Acquisition is the function of the GP's prediction that Ask maximizes.
type Acquisition int

const (
	// EI is expected improvement over the best score (log EI).
	EI Acquisition = iota
	// UCB is the upper confidence bound mean + Beta*std.
	UCB
)

var acquisitionNames = []string{"ei", "ucb"}

func (a Acquisition) String() string {
	if a >= 0 && int(a) < len(acquisitionNames) {
		return acquisitionNames[a]
	}
	return fmt.Sprintf("Acquisition(%d)", int(a))
}

// Defaults.
const (
	DefaultStartupTrials = 10
	DefaultBeta          = 2.0
	DefaultCandidates    = 500
	DefaultMaxTrain      = 300
	DefaultRestarts      = 2
	DefaultRefitGrowth   = 0.1
)

// Config holds the settings of GP optimization.
type Config struct {
	StartupTrials int         // random trials before the GP is used (at least 2)
	Acquisition   Acquisition // EI or UCB
	Beta          float64     // UCB's weight of the standard deviation
	Candidates    int         // random points scored by each ask
	MaxTrain      int         // completed trials the GP sees at most
	Restarts      int         // random starting points of each hyper-parameter fit
	RefitGrowth   float64     // refit when the data grew by this fraction since the last fit
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{StartupTrials: DefaultStartupTrials, Acquisition: EI, Beta: DefaultBeta,
		Candidates: DefaultCandidates, MaxTrain: DefaultMaxTrain, Restarts: DefaultRestarts, RefitGrowth: DefaultRefitGrowth}
}

// Validate checks the settings.
func (c Config) Validate() error {
	switch {
	case c.StartupTrials < 2:
		return fmt.Errorf("gp: startup trials %d < 2", c.StartupTrials)
	case c.Acquisition != EI && c.Acquisition != UCB:
		return fmt.Errorf("gp: unknown acquisition %v", c.Acquisition)
	case !(c.Beta >= 0) || math.IsInf(c.Beta, 1):
		return fmt.Errorf("gp: beta %v is not a non-negative number", c.Beta)
	case c.Candidates < 1:
		return fmt.Errorf("gp: candidates %d < 1", c.Candidates)
	case c.MaxTrain < 2:
		return fmt.Errorf("gp: max train %d < 2", c.MaxTrain)
	case c.Restarts < 0:
		return fmt.Errorf("gp: restarts %d < 0", c.Restarts)
	case !(c.RefitGrowth >= 0) || math.IsInf(c.RefitGrowth, 1):
		return fmt.Errorf("gp: refit growth %v is not a non-negative number", c.RefitGrowth)
	}
	return nil
}

// Optimizer is GP-based Bayesian optimization. It is safe for concurrent
// use.
type Optimizer struct {
	space *space.Space
	seed  int64
	cfg   Config
	enc   *stats.Encoding

	mu  sync.Mutex
	fit struct { // the last hyper-parameter fit
		key   uint64
		hyper stats.GPHyper
		ok    bool
	}
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns GP optimization over sp.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("gp: nil space")
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
// trials, and the unseen point with the best acquisition value after that.
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
	hyper, err := o.hyper(h, data)
	if err != nil {
		return nil, err
	}
	train := stats.BestAndRecent(h, data, o.cfg.MaxTrain)
	x, y := o.encode(h, train)
	g, err := stats.NewGP(x, y, o.enc.Groups(), hyper)
	if err != nil {
		return nil, fmt.Errorf("gp: ask %d: %w", h.Next, err)
	}
	best := math.Inf(-1)
	for _, v := range y {
		best = math.Max(best, v)
	}
	buf := make([]float64, o.enc.Width())
	acq := func(p space.Point) float64 {
		m, s := g.Predict(o.enc.Encode(p, buf))
		if o.cfg.Acquisition == UCB {
			return stats.UpperConfidenceBound(m, s, o.cfg.Beta)
		}
		return stats.LogExpectedImprovement(m, s, best, 0)
	}
	p, _, ok := stats.MaximizeAcquisition(o.space, acq, stats.TopPoints(h, data, 5), seen.Has,
		stats.AcquisitionSearch{Random: o.cfg.Candidates}, rng)
	if !ok {
		return seen.SampleUnseen(o.space, rng, 100), nil
	}
	return p, nil
}

// hyper returns the hyper-parameters fitted on the completed trials known
// at the last refit point (cached).
func (o *Optimizer) hyper(h *search.History, data []search.Trial) (stats.GPHyper, error) {
	s := refitPoint(len(data), o.cfg.RefitGrowth)
	part := data[:s]
	f := fnv.New64a()
	var b [16]byte
	for _, t := range part {
		putUint64(b[:8], uint64(t.ID))
		putUint64(b[8:], math.Float64bits(h.Score(t)))
		f.Write(b[:])
	}
	key := f.Sum64() ^ uint64(s)
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fit.ok && o.fit.key == key {
		return o.fit.hyper, nil
	}
	x, y := o.encode(h, stats.BestAndRecent(h, part, o.cfg.MaxTrain))
	hyper, err := stats.FitGPHyper(x, y, o.enc.Groups(), o.enc.NumGroups(),
		stats.GPFitConfig{Restarts: o.cfg.Restarts}, search.Rand(o.seed^0x6770, s))
	if err != nil {
		return stats.GPHyper{}, fmt.Errorf("gp: fit on %d trials: %w", s, err)
	}
	o.fit.key, o.fit.hyper, o.fit.ok = key, hyper, true
	return hyper, nil
}

// refitPoint is the number of completed trials the hyper-parameters of n
// are fitted on: n itself up to 20, then the last point of the sequence 20,
// 20+20g, ... (each step at least 1) not above n.
func refitPoint(n int, growth float64) int {
	if n <= 20 {
		return n
	}
	p := 20
	for {
		next := p + max(1, int(float64(p)*growth))
		if next > n {
			return p
		}
		p = next
	}
}

func putUint64(b []byte, v uint64) {
	for i := range 8 {
		b[i] = byte(v >> (8 * i))
	}
}

// encode returns the features and scores of trials.
func (o *Optimizer) encode(h *search.History, trials []search.Trial) ([][]float64, []float64) {
	x := make([][]float64, len(trials))
	y := make([]float64, len(trials))
	for i, t := range trials {
		x[i] = o.enc.Encode(t.Params, nil)
		y[i] = h.Score(t)
	}
	return x, y
}

func init() {
	search.Register(search.Factory{
		Name: "gp",
		Doc:  "Bayesian optimization with a Gaussian process (Matern 5/2, fitted by marginal likelihood) and expected improvement or UCB",
		Options: []search.Option{
			{Param: space.NewInt("n_startup_trials", 2, 1_000_000, false), Default: DefaultStartupTrials,
				Doc: "random completed trials before the GP is used"},
			{Param: space.NewCategorical("acquisition", acquisitionNames...), Default: float64(EI),
				Doc: "ei: expected improvement (log EI); ucb: mean + beta*std"},
			{Param: space.NewFloat("beta", 0, 100, false), Default: DefaultBeta,
				Doc: "UCB's weight of the predicted standard deviation"},
			{Param: space.NewInt("candidates", 1, 1_000_000, false), Default: DefaultCandidates,
				Doc: "random points scored by each ask before the local search"},
			{Param: space.NewInt("max_train", 2, 100_000, false), Default: DefaultMaxTrain,
				Doc: "completed trials the GP sees at most (the best half and the most recent)"},
			{Param: space.NewInt("restarts", 0, 100, false), Default: DefaultRestarts,
				Doc: "random starting points of each hyper-parameter fit, besides the default one"},
			{Param: space.NewFloat("refit_growth", 0, 10, false), Default: DefaultRefitGrowth,
				Doc: "refit the hyper-parameters when the data grew by this fraction since the last fit (0: every trial)"},
		},
		New: func(sp *space.Space, seed int64, opts search.Options) (search.Optimizer, error) {
			return New(sp, seed, Config{
				StartupTrials: int(option(opts, "n_startup_trials", DefaultStartupTrials)),
				Acquisition:   Acquisition(option(opts, "acquisition", float64(EI))),
				Beta:          option(opts, "beta", DefaultBeta),
				Candidates:    int(option(opts, "candidates", DefaultCandidates)),
				MaxTrain:      int(option(opts, "max_train", DefaultMaxTrain)),
				Restarts:      int(option(opts, "restarts", DefaultRestarts)),
				RefitGrowth:   option(opts, "refit_growth", DefaultRefitGrowth),
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
