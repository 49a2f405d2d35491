package anneal

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Defaults, tuned on NAS-Bench-201 (CIFAR-10) by the mean 12-epoch
// validation accuracy of the pick over 100 runs of 100 queries (seeds
// 1000-1099, apart from the seeds reported in the README). At 100 queries a
// nearly greedy chain wins: t0 = 0 (hill climbing) gave 84.54, t0 = 0.3
// 84.60, t0 = 1 84.42 and t0 = 3 84.13; 5 initial samples beat 10 and 20
// (84.44, 84.23 with t0 = 1); cooling between 0.9 and 0.95 made no
// difference. At 300 queries t0 = 0.3 (84.76) beat hill climbing (84.68).
const (
	DefaultInitial = 5
	DefaultT0      = 0.3
	DefaultCooling = 0.95
)

// Config holds the settings of simulated annealing.
type Config struct {
	// Initial is the number of random trials; the chain starts at the best.
	Initial int
	// T0 is the temperature of the first proposal, in robust standard
	// deviations of the scores seen (interquartile range / 1.349): at T0 = 1
	// a proposal one such deviation worse than the current point is
	// accepted with probability 1/e.
	T0 float64
	// Cooling multiplies the temperature at every trial ID (0 < Cooling <= 1).
	Cooling float64
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{Initial: DefaultInitial, T0: DefaultT0, Cooling: DefaultCooling}
}

// Validate checks the settings.
func (c Config) Validate() error {
	switch {
	case c.Initial < 1:
		return fmt.Errorf("anneal: initial %d < 1", c.Initial)
	case !(c.T0 >= 0) || math.IsInf(c.T0, 1):
		return fmt.Errorf("anneal: initial temperature t0=%v is not a finite number >= 0", c.T0)
	case !(c.Cooling > 0 && c.Cooling <= 1):
		return fmt.Errorf("anneal: cooling %v is not in (0, 1]", c.Cooling)
	}
	return nil
}

// Temperature is the temperature at which trial id is judged: T0 for the
// first trial after the initial ones, cooled geometrically after that.
func (c Config) Temperature(id int) float64 {
	return c.T0 * math.Pow(c.Cooling, float64(max(id-c.Initial, 0)))
}

// retries is how many mutants Ask draws before it tries something else.
const retries = 20

// Optimizer is simulated annealing. Every Ask is a function of the seed,
// the configuration and the history; the optimizer only caches the replay of
// the last history it saw. It is safe for concurrent use.
type Optimizer struct {
	space *space.Space
	seed  int64
	cfg   Config

	mu    sync.Mutex
	cache chain // the replay of the history seen last; rebuilt when it does not match
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns simulated annealing over sp.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("anneal: nil space")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Optimizer{space: sp, seed: seed, cfg: cfg}, nil
}

// Config returns the optimizer's settings.
func (o *Optimizer) Config() Config { return o.cfg }

// Ask returns a random point for the first Initial trials and a mutant of
// the chain's current point after that.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	h = &hs
	rng := search.Rand(o.seed, h.Next)
	cur, ok := o.Current(h)
	if h.Next < o.cfg.Initial || !ok {
		return search.SampleUnseen(h, rng, 100), nil
	}
	for _, changes := range []int{1, 2} {
		for range retries {
			p := cur.Params
			for range changes {
				p = o.space.Mutate(p, rng)
			}
			if !h.Seen(p) {
				return p, nil
			}
		}
	}
	return search.SampleUnseen(h, rng, 100), nil
}

// Current replays the finished trials of h and returns the chain's current
// point: the trial it stands on. It returns false before any trial finished.
func (o *Optimizer) Current(h *search.History) (search.Trial, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	c := &o.cache
	if !c.matches(h.Done) {
		*c = chain{curScore: math.Inf(-1)}
	}
	if len(h.Done) > 0 {
		c.base = &h.Done[0]
	}
	for _, t := range h.Done[len(c.ids):] {
		c.step(o, h, t)
	}
	return c.cur, len(c.ids) > 0
}

// chain is the state of the annealing chain after the finished trials ids.
type chain struct {
	ids      []int // IDs of the trials replayed, in order
	cur      search.Trial
	curScore float64
	scores   []float64 // the finite scores seen, sorted
	// base is the address of the first trial replayed: a Done slice that
	// starts there holds the same trials (History's slices are read-only).
	base *search.Trial
}

// matches reports whether done extends the replayed trials.
func (c *chain) matches(done []search.Trial) bool {
	if len(done) < len(c.ids) {
		return false
	}
	if len(c.ids) > 0 && &done[0] == c.base {
		return true
	}
	for i, id := range c.ids {
		if done[i].ID != id {
			return false
		}
	}
	return true
}

// step replays one finished trial: a proposal against the current point.
func (c *chain) step(o *Optimizer, h *search.History, t search.Trial) {
	first := len(c.ids) == 0
	c.ids = append(c.ids, t.ID)
	s := h.Score(t)
	failed := math.IsInf(s, -1)
	if !failed {
		c.scores = slices.Insert(c.scores, sort.SearchFloat64s(c.scores, s), s)
	}
	switch {
	case first:
		c.cur, c.curScore = t, s
	case failed: // never accepted
	case s >= c.curScore:
		c.cur, c.curScore = t, s
	case t.ID < o.cfg.Initial: // an initial sample that is not better
	default:
		T := o.cfg.Temperature(t.ID) * spread(c.scores)
		if T > 0 && search.Rand(o.seed, -1-t.ID).Float64() < math.Exp((s-c.curScore)/T) {
			c.cur, c.curScore = t, s
		}
	}
}

// spread is a robust standard deviation of sorted scores: their
// interquartile range / 1.349 (exact for a normal distribution), and 1 when
// there are fewer than two or they are all equal.
func spread(sorted []float64) float64 {
	n := len(sorted)
	if n < 2 {
		return 1
	}
	q := func(f float64) float64 {
		x := f * float64(n-1)
		i := int(x)
		if i+1 >= n {
			return sorted[n-1]
		}
		return sorted[i] + (x-float64(i))*(sorted[i+1]-sorted[i])
	}
	if iqr := q(0.75) - q(0.25); iqr > 0 {
		return iqr / 1.349
	}
	return 1
}

// Tell does nothing: the chain is replayed from the history.
func (o *Optimizer) Tell(search.Trial) error { return nil }

func init() {
	search.Register(search.Factory{
		Name: "anneal",
		Doc:  "simulated annealing: one-parameter mutations accepted by the Metropolis rule, geometric cooling on the trial ID",
		Options: []search.Option{
			{Param: space.NewInt("initial", 1, 1_000_000, false), Default: DefaultInitial,
				Doc: "random trials first; the chain starts at the best of them"},
			{Param: space.NewFloat("t0", 0, 1e6, false), Default: DefaultT0,
				Doc: "initial temperature, in standard deviations of the scores seen (0: greedy)"},
			{Param: space.NewFloat("cooling", 1e-6, 1, false), Default: DefaultCooling,
				Doc: "factor applied to the temperature at every trial"},
		},
		New: func(sp *space.Space, seed int64, opts search.Options) (search.Optimizer, error) {
			return New(sp, seed, Config{
				Initial: int(option(opts, "initial", DefaultInitial)),
				T0:      option(opts, "t0", DefaultT0),
				Cooling: option(opts, "cooling", DefaultCooling),
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
