package local

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Strategy says when the centre of a run moves.
type Strategy int

const (
	// FirstImprovement moves to the first neighbour that beats the centre.
	FirstImprovement Strategy = iota
	// BestImprovement evaluates all neighbours and moves to the best.
	BestImprovement
)

var strategyNames = []string{"first", "best"}

func (s Strategy) String() string {
	if s >= 0 && int(s) < len(strategyNames) {
		return strategyNames[s]
	}
	return fmt.Sprintf("Strategy(%d)", int(s))
}

// Defaults, tuned on NAS-Bench-201 (CIFAR-10, 12-epoch validation accuracy,
// 100 queries; see core/bench). Over 100 runs of 100 queries they reach a
// final test accuracy of 94.23 ± 0.23 (random search: 93.76 ± 0.34); at 300
// queries every run finds the best-validation cell (94.37). Between 1 and 30
// initial samples, and 1 to 10 restart samples, the mean moved by less than
// 0.1; best improvement was about 0.08 lower at 100 queries.
const (
	DefaultInitial        = 10
	DefaultRestartSamples = 10
	DefaultStrategy       = FirstImprovement
)

// Config holds the settings of local search.
type Config struct {
	Initial        int      // random points the first run starts from (the best of them)
	RestartSamples int      // random points each later run starts from
	Strategy       Strategy // when the centre moves
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{Initial: DefaultInitial, RestartSamples: DefaultRestartSamples, Strategy: DefaultStrategy}
}

// Validate checks the settings.
func (c Config) Validate() error {
	if c.Initial < 1 {
		return fmt.Errorf("local: initial %d < 1", c.Initial)
	}
	if c.RestartSamples < 1 {
		return fmt.Errorf("local: restart samples %d < 1", c.RestartSamples)
	}
	if c.Strategy != FirstImprovement && c.Strategy != BestImprovement {
		return fmt.Errorf("local: unknown strategy %v", c.Strategy)
	}
	return nil
}

// Optimizer is local search with restarts. It is safe for concurrent use.
type Optimizer struct {
	space *space.Space
	seed  int64
	cfg   Config

	mu    sync.Mutex
	cache replay // what the history determined so far; rebuilt when it does not match
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns local search over sp.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("local: nil space")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Optimizer{space: sp, seed: seed, cfg: cfg}, nil
}

// Config returns the optimizer's settings.
func (o *Optimizer) Config() Config { return o.cfg }

// Ask returns a random point while a run collects its starting samples, and
// an unseen neighbour of the run's centre after that.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	h = &hs
	o.mu.Lock()
	defer o.mu.Unlock()
	r := &o.cache
	if !r.matches(h.Done) {
		*r = replay{}
	}
	r.advance(o, h)
	rng := search.Rand(o.seed, h.Next)
	if h.Next < r.runStart+r.runInit || r.center == nil {
		return search.SampleUnseen(h, rng, 100), nil
	}
	running := make(map[string]bool, len(h.Running))
	for _, t := range h.Running {
		running[key(t.Params)] = true
	}
	unseen := func(p space.Point) bool {
		k := key(p)
		return r.known[k] == nil && !running[k]
	}
	if p, ok := pick(o.space.Neighbours(r.center.params), unseen, rng); ok {
		return p, nil
	}
	// Every neighbour of the centre is running: lend the turn to the best
	// other point of the run with unseen neighbours.
	run := append([]*entry(nil), r.run...)
	sort.SliceStable(run, func(i, j int) bool { return run[i].score > run[j].score })
	for _, e := range run {
		if p, ok := pick(o.space.Neighbours(e.params), unseen, rng); ok {
			return p, nil
		}
	}
	return search.SampleUnseen(h, rng, 100), nil
}

// pick returns a uniformly random point of ps for which ok holds.
func pick(ps []space.Point, ok func(space.Point) bool, rng *rand.Rand) (space.Point, bool) {
	var c []space.Point
	for _, p := range ps {
		if ok(p) {
			c = append(c, p)
		}
	}
	if len(c) == 0 {
		return nil, false
	}
	return c[rng.IntN(len(c))], true
}

// Tell does nothing: Ask reads everything from the history.
func (o *Optimizer) Tell(search.Trial) error { return nil }

// entry is a finished trial as the replay sees it.
type entry struct {
	id     int
	score  float64
	params space.Point
}

// replay is the state of the search after the finished trials ids, in ID
// order: which points are known, where the current run started and its
// centre.
type replay struct {
	ids      []int             // IDs of the finished trials replayed, in order
	known    map[string]*entry // by point key; the first trial wins
	run      []*entry          // the current run's finished trials
	runStart int               // the first trial ID of the current run
	runInit  int               // how many random samples the run starts with
	center   *entry            // the current run's centre (nil before its first result)
	// base is the address of the first trial replayed: a Done slice that
	// starts there holds the same trials (History's slices are read-only).
	base *search.Trial
}

// matches reports whether done extends the replayed trials.
func (r *replay) matches(done []search.Trial) bool {
	if r.known == nil || len(done) < len(r.ids) {
		return false
	}
	if len(r.ids) > 0 && &done[0] == r.base {
		return true
	}
	for i, id := range r.ids {
		if done[i].ID != id {
			return false
		}
	}
	return true
}

// advance replays the finished trials of h not replayed yet.
func (r *replay) advance(o *Optimizer, h *search.History) {
	if r.known == nil {
		r.known = map[string]*entry{}
		r.runInit = o.cfg.Initial
	}
	if len(h.Done) > 0 {
		r.base = &h.Done[0]
	}
	for _, t := range h.Done[len(r.ids):] {
		r.ids = append(r.ids, t.ID)
		e := &entry{id: t.ID, score: h.Score(t), params: t.Params}
		if k := key(t.Params); r.known[k] == nil {
			r.known[k] = e
		}
		if t.ID < r.runStart {
			continue // asked before the run restarted
		}
		r.run = append(r.run, e)
		initial := t.ID < r.runStart+r.runInit
		if r.center == nil || ((initial || o.cfg.Strategy == FirstImprovement) && e.score > r.center.score) {
			r.center = e
		}
		if !initial || t.ID == r.runStart+r.runInit-1 {
			r.settle(o, t.ID)
		}
	}
}

// settle moves the centre while all its neighbours are known (best
// improvement) and starts a new run after trial id when the centre is a
// local optimum.
func (r *replay) settle(o *Optimizer, id int) {
	for r.center != nil {
		best := (*entry)(nil)
		for _, n := range o.space.Neighbours(r.center.params) {
			e := r.known[key(n)]
			if e == nil {
				return // still something to evaluate around the centre
			}
			if best == nil || e.score > best.score {
				best = e
			}
		}
		if best != nil && best.score > r.center.score && best.id >= r.runStart {
			r.center = best // (best improvement: first improvement moved already)
			continue
		}
		// A local optimum, or a run that joined an explored basin: restart.
		r.runStart, r.runInit, r.center, r.run = id+1, o.cfg.RestartSamples, nil, nil
	}
}

// key is a map key for a point: the bits of its values.
func key(p space.Point) string {
	b := make([]byte, 8*len(p))
	for i, v := range p {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return string(b)
}

func init() {
	search.Register(search.Factory{
		Name: "local",
		Doc:  "local search: hill climbing over one-parameter neighbours with random restarts",
		Options: []search.Option{
			{Param: space.NewInt("initial", 1, 1_000_000, false), Default: DefaultInitial,
				Doc: "random points evaluated first; the best is where the first run starts"},
			{Param: space.NewInt("restart_samples", 1, 1_000_000, false), Default: DefaultRestartSamples,
				Doc: "random points evaluated at each restart; the best is where the run starts"},
			{Param: space.NewCategorical("strategy", strategyNames...), Default: float64(DefaultStrategy),
				Doc: "first: move to the first better neighbour; best: evaluate all neighbours, move to the best"},
		},
		New: func(sp *space.Space, seed int64, opts search.Options) (search.Optimizer, error) {
			return New(sp, seed, Config{
				Initial:        int(option(opts, "initial", DefaultInitial)),
				RestartSamples: int(option(opts, "restart_samples", DefaultRestartSamples)),
				Strategy:       Strategy(option(opts, "strategy", float64(DefaultStrategy))),
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
