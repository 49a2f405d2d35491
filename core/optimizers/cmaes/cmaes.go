package cmaes

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"sync"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Defaults (Optuna's CmaEsSampler starts at the centre with a step of a
// sixth of the range).
const (
	DefaultSigma0 = 1.0 / 6
)

// Config holds the settings of the CMA-ES optimizer.
type Config struct {
	PopulationSize int     // lambda; 0: 4 + floor(3 ln d) for d free parameters
	Sigma0         float64 // initial step size, in the unit cube
	Unique         bool    // draw again (a few times) when a sample's point was asked already
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config { return Config{Sigma0: DefaultSigma0, Unique: true} }

// Validate checks the settings.
func (c Config) Validate() error {
	switch {
	case c.PopulationSize != 0 && c.PopulationSize < 2:
		return fmt.Errorf("cmaes: population size %d < 2", c.PopulationSize)
	case !(c.Sigma0 > 0 && c.Sigma0 <= 10):
		return fmt.Errorf("cmaes: sigma0 %v is not in (0, 10]", c.Sigma0)
	}
	return nil
}

// retries is how many samples Ask draws (with Unique) before it settles
// for a seen point's sample or a random unseen point.
const retries = 10

// Optimizer is CMA-ES on the continuous relaxation of a space. It is safe
// for concurrent use.
type Optimizer struct {
	space *space.Space
	seed  int64
	cfg   Config
	free  []int // the parameters with more than one value: the dimensions

	mu     sync.Mutex
	state  *CMA     // after the generations replayed
	scores []uint64 // the score bits of the trials replayed (IDs 0, 1, ...)
	start  uint64   // fingerprint of what the start depends on (warm-start trials)
	// The own trials of the last history: the address of the first, how
	// many lead with IDs 0, 1, 2 ... and the first direction. A history
	// whose own trials start at the same address holds the same trials
	// there (History's slices are read-only), so they need no new check.
	base    *search.Trial
	checked int
	minim   bool
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns CMA-ES over sp.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("cmaes: nil space")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := &Optimizer{space: sp, seed: seed, cfg: cfg}
	for i, p := range sp.Params {
		if p.Cardinality() > 1 {
			o.free = append(o.free, i)
		}
	}
	return o, nil
}

// Config returns the optimizer's settings.
func (o *Optimizer) Config() Config { return o.cfg }

// Tell does nothing: Ask replays the history.
func (o *Optimizer) Tell(search.Trial) error { return nil }

// Ask samples the CMA-ES state that the finished generations of h lead to.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	h = &hs
	rng := search.Rand(o.seed, h.Next)
	if len(o.free) == 0 {
		return search.SampleUnseen(h, rng, 100), nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.replay(h); err != nil {
		return nil, err
	}
	var p space.Point
	for try := 0; try < retries; try++ {
		p = o.decode(o.state.Sample(rng))
		if !o.cfg.Unique || !h.Seen(p) {
			return p, nil
		}
	}
	return search.SampleUnseen(h, rng, 100), nil
}

// decode maps a solution of the unit cube to a point.
func (o *Optimizer) decode(x []float64) space.Point {
	p := make(space.Point, len(o.space.Params))
	for i, q := range o.space.Params {
		p[i] = q.FromUnit(0.5)
	}
	for k, i := range o.free {
		p[i] = o.space.Params[i].FromUnit(x[k])
	}
	return p
}

// encode maps a point to the unit cube.
func (o *Optimizer) encode(p space.Point) []float64 {
	x := make([]float64, len(o.free))
	for k, i := range o.free {
		x[k] = o.space.Params[i].ToUnit(p[i])
	}
	return x
}

// replay brings o.state to the generations of h: generation g is the
// trials with IDs g*lambda ... g*lambda+lambda-1, replayed once all of them
// are in h.Done, in order, as long as every earlier one was. Trials with
// negative IDs (warm-start trials, see search.WarmStart) are not part of a
// generation: the search starts from the best of them.
func (o *Optimizer) replay(h *search.History) error {
	var prior, own []search.Trial
	for i, t := range h.Done {
		if t.ID >= 0 {
			own = h.Done[i:]
			break
		}
		prior = append(prior, t)
	}
	start := fingerprint(h, prior)
	minim := len(h.Directions) > 0 && h.Directions[0] == search.Minimize
	same := o.checked > 0 && len(own) >= o.checked && &own[0] == o.base && minim == o.minim
	// The generations that can be replayed: those within the prefix of
	// trials 0, 1, 2, ... that have all finished.
	n := 0
	if same {
		n = o.checked
	}
	for n < len(own) && own[n].ID == n {
		n++
	}
	o.base, o.checked, o.minim = nil, 0, minim
	if o.state == nil || start != o.start || len(o.scores) > n || !same && !o.agrees(h, own) {
		if err := o.reset(h, prior, start); err != nil {
			return err
		}
	}
	if n > 0 {
		o.base, o.checked = &own[0], n
	}
	lambda := o.state.PopulationSize()
	for g := len(o.scores) / lambda; (g+1)*lambda <= n; g++ {
		gen := own[g*lambda : (g+1)*lambda]
		xs := make([][]float64, lambda)
		fs := make([]float64, lambda)
		for i, t := range gen {
			xs[i] = o.encode(t.Params)
			fs[i] = -h.Score(t) // failed and pruned trials: +Inf, the worst
			if !o.space.Contains(t.Params) {
				xs[i], fs[i] = o.state.Mean(), math.Inf(1)
			}
			o.scores = append(o.scores, math.Float64bits(h.Score(t)))
		}
		if err := o.state.Update(xs, fs); err != nil {
			return err
		}
	}
	return nil
}

// agrees reports whether the trials replayed are the first ones of own
// with the same scores.
func (o *Optimizer) agrees(h *search.History, own []search.Trial) bool {
	for i, b := range o.scores {
		if math.Float64bits(h.Score(own[i])) != b {
			return false
		}
	}
	return true
}

// reset starts the search again: at the best warm-start trial, or the
// centre of the cube.
func (o *Optimizer) reset(h *search.History, prior []search.Trial, start uint64) error {
	mean := make([]float64, len(o.free))
	for i := range mean {
		mean[i] = 0.5
	}
	best := math.Inf(-1)
	for _, t := range prior {
		if s := h.Score(t); s > best && o.space.Contains(t.Params) {
			best, mean = s, o.encode(t.Params)
		}
	}
	c, err := NewCMA(mean, o.cfg.Sigma0, o.cfg.PopulationSize, 0, 1)
	if err != nil {
		return err
	}
	o.state, o.scores, o.start = c, nil, start
	return nil
}

// fingerprint hashes the IDs, scores and points of trials.
func fingerprint(h *search.History, trials []search.Trial) uint64 {
	f := fnv.New64a()
	var b [8]byte
	put := func(v uint64) {
		for i := range b {
			b[i] = byte(v >> (8 * i))
		}
		f.Write(b[:])
	}
	for _, t := range trials {
		put(uint64(t.ID))
		put(math.Float64bits(h.Score(t)))
		for _, v := range t.Params {
			put(math.Float64bits(v))
		}
	}
	return f.Sum64()
}

func init() {
	search.Register(search.Factory{
		Name: "cmaes",
		Doc:  "CMA-ES (Hansen) on the continuous relaxation of the space, replayed generation by generation from the history",
		Options: []search.Option{
			{Param: space.NewInt("population_size", 0, 100_000, false), Default: 0,
				Doc: "trials per generation (lambda); 0: 4 + floor(3 ln d) for d free parameters"},
			{Param: space.NewFloat("sigma0", 1e-6, 10, true), Default: DefaultSigma0,
				Doc: "initial step size in the unit cube"},
			{Param: space.NewCategorical("unique", "false", "true"), Default: 1,
				Doc: "draw again when a sample's point was asked before (then a random unseen point)"},
		},
		New: func(sp *space.Space, seed int64, opts search.Options) (search.Optimizer, error) {
			return New(sp, seed, Config{
				PopulationSize: int(option(opts, "population_size", 0)),
				Sigma0:         option(opts, "sigma0", DefaultSigma0),
				Unique:         option(opts, "unique", 1) == 1,
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
