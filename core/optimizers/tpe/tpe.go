package tpe

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Defaults, as in Optuna's TPESampler.
const (
	DefaultStartupTrials = 10
	DefaultEICandidates  = 24
	DefaultGamma         = 0.1
	DefaultGammaMax      = 25
	DefaultPriorWeight   = 1.0
)

// Config holds the settings of TPE.
type Config struct {
	// StartupTrials is how many scored trials are drawn at random before
	// the model is used (Optuna's n_startup_trials).
	StartupTrials int
	// EICandidates is how many values are drawn from the good density l per
	// parameter; the one with the best l/g ratio is asked (n_ei_candidates).
	EICandidates int
	// Gamma and GammaMax size the good group: min(ceil(Gamma n), GammaMax)
	// of n scored trials.
	Gamma    float64
	GammaMax int
	// PriorWeight is the weight of the wide prior kernel of each estimator.
	PriorWeight float64
	// ConstantLiar puts running trials in the bad group.
	ConstantLiar bool
	// Unique draws again (a few times) when the proposal was seen already.
	Unique bool
}

// DefaultConfig returns the default settings (Optuna's, plus Unique).
func DefaultConfig() Config {
	return Config{
		StartupTrials: DefaultStartupTrials, EICandidates: DefaultEICandidates,
		Gamma: DefaultGamma, GammaMax: DefaultGammaMax, PriorWeight: DefaultPriorWeight,
		Unique: true,
	}
}

// Validate checks the settings.
func (c Config) Validate() error {
	switch {
	case c.StartupTrials < 0:
		return fmt.Errorf("tpe: startup trials %d < 0", c.StartupTrials)
	case c.EICandidates < 1:
		return fmt.Errorf("tpe: EI candidates %d < 1", c.EICandidates)
	case !(c.Gamma > 0 && c.Gamma <= 1):
		return fmt.Errorf("tpe: gamma %v is not in (0, 1]", c.Gamma)
	case c.GammaMax < 1:
		return fmt.Errorf("tpe: gamma max %d < 1", c.GammaMax)
	case !(c.PriorWeight > 0) || math.IsInf(c.PriorWeight, 1):
		return fmt.Errorf("tpe: prior weight %v is not positive and finite", c.PriorWeight)
	}
	return nil
}

// goodCount is gamma(n): the size of the good group among n scored trials.
func (c Config) goodCount(n int) int {
	return min(int(math.Ceil(c.Gamma*float64(n))), c.GammaMax)
}

// retries is how many proposals Ask draws (with Unique) before it falls
// back to a random unseen point.
const retries = 8

// Optimizer is TPE. It is safe for concurrent use.
type Optimizer struct {
	space *space.Space
	seed  int64
	cfg   Config
	num   []int // indices of the numeric (int, float) parameters with more than one value
	cat   []int // indices of the categorical parameters with more than one choice

	mu  sync.Mutex
	c   cache   // what the history determined so far
	inc incr    // the bad group's estimators, kept up to date
	w   scratch // buffers reused between asks
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns TPE over sp.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("tpe: nil space")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := &Optimizer{space: sp, seed: seed, cfg: cfg}
	for i, p := range sp.Params {
		switch {
		case p.Cardinality() <= 1:
		case p.Kind == space.Categorical:
			o.cat = append(o.cat, i)
		default:
			o.num = append(o.num, i)
		}
	}
	return o, nil
}

// Config returns the optimizer's settings.
func (o *Optimizer) Config() Config { return o.cfg }

// Tell does nothing: Ask reads everything from the history.
func (o *Optimizer) Tell(search.Trial) error { return nil }

// Ask returns a random unseen point for the first StartupTrials scored
// trials and the TPE proposal after that.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	h = &hs
	o.mu.Lock()
	defer o.mu.Unlock()
	c := &o.c
	c.sync(o, h)
	rng := search.Rand(o.seed, h.Next)
	running := o.runningKeys(h)
	if c.nComplete+c.nPruned < o.cfg.StartupTrials || c.nComplete == 0 {
		return o.sampleUnseen(rng, running), nil
	}
	m := o.split(h)
	m.incr = o.inc.update(o, m)
	if len(o.cat) > 0 {
		o.sumGroups(m)
	}
	p := make(space.Point, len(o.space.Params))
	for try := 0; try <= retries; try++ {
		o.fixed(p)
		for k, pi := range o.num {
			p[pi] = o.sampleNumeric(m, k, pi, rng)
		}
		for k, pi := range o.cat {
			p[pi] = o.sampleCategorical(m, k, pi, rng)
		}
		if !o.cfg.Unique || !c.isSeen(p, running) {
			return p, nil
		}
	}
	return o.sampleUnseen(rng, running), nil
}

// sumGroups sums the categorical weights of both groups: the good group's
// trials from its list, the bad group's from incr's when it is up to date
// (else from every trial's weight).
func (o *Optimizer) sumGroups(m *model) {
	w := &o.w
	w.goodIdx = w.goodIdx[:0]
	for _, i := range m.good {
		w.goodIdx = append(w.goodIdx, int32(i))
	}
	var badIdx []int32
	if m.incr {
		badIdx = o.inc.byRank
	}
	o.sumCategorical(m.goodW, w.goodIdx, &w.catGood)
	o.sumCategorical(m.badW, badIdx, &w.catBad)
}

// fixed sets the parameters that have a single value.
func (o *Optimizer) fixed(p space.Point) {
	for i, q := range o.space.Params {
		if q.Cardinality() <= 1 {
			if q.Kind == space.Categorical {
				p[i] = 0
			} else {
				p[i] = q.Low
			}
		}
	}
}

// runningKeys returns the keys of the running trials' points.
func (o *Optimizer) runningKeys(h *search.History) map[string]bool {
	if len(h.Running) == 0 {
		return nil
	}
	m := make(map[string]bool, len(h.Running))
	for _, t := range h.Running {
		m[key(t.Params)] = true
	}
	return m
}

// sampleUnseen draws uniform points until one is unseen (100 tries).
func (o *Optimizer) sampleUnseen(rng *rand.Rand, running map[string]bool) space.Point {
	p := o.space.Sample(rng)
	for i := 1; i < 100 && o.c.isSeen(p, running); i++ {
		p = o.space.Sample(rng)
	}
	return p
}

// model is the split of the history into the good and the bad group, with
// each trial's kernel weight (0: not in the group).
type model struct {
	goodW []float64 // by Done index
	badW  []float64 // by Done index
	good  []int     // Done indices of the good group, sorted
	incr  bool      // the bad group's estimators come from Optimizer.inc
	nGood int
	nBad  int       // counting liars
	liars []int     // indices into h.Running of the liars
	liarW []float64 // their weights
	run   []search.Trial
}

// split divides the scored trials into the good group (the best
// goodCount(n) completed trials) and the bad group (the others, the pruned
// trials and, with ConstantLiar, the running ones) and weighs each group's
// trials with Optuna's ramp, oldest lowest.
func (o *Optimizer) split(h *search.History) *model {
	c := &o.c
	w := &o.w
	n := len(c.ids)
	m := &w.model
	m.goodW = resize(m.goodW, n)
	m.badW = resize(m.badW, n)
	m.liars, m.liarW, m.run = m.liars[:0], m.liarW[:0], h.Running
	nGood := min(o.cfg.goodCount(c.nComplete+c.nPruned), c.nComplete)
	good := c.topComplete(nGood, &w.top)
	m.good = good
	for _, i := range good {
		m.goodW[i] = -1 // marked; weighed below
	}
	if o.cfg.ConstantLiar {
		for i, t := range h.Running {
			if len(t.Params) == len(o.space.Params) {
				m.liars = append(m.liars, i)
			}
		}
	}
	nBad := c.nComplete + c.nPruned - nGood + len(m.liars)
	m.nGood, m.nBad = nGood, nBad
	gw := rampWeights(nGood, &w.gw)
	bw := rampWeights(nBad, &w.bw)
	gi, bi := 0, 0
	for i := range n {
		switch {
		case c.state[i] == ignored:
			m.goodW[i], m.badW[i] = 0, 0
		case m.goodW[i] == -1:
			m.goodW[i], m.badW[i] = gw[gi], 0
			gi++
		default:
			m.goodW[i], m.badW[i] = 0, bw[bi]
			bi++
		}
	}
	for range m.liars {
		m.liarW = append(m.liarW, bw[bi])
		bi++
	}
	return m
}

// rampWeights is Optuna's default_weights(n): ones below 25, else a linear
// ramp from 1/n to 1 over the n-25 oldest and ones for the 25 newest.
func rampWeights(n int, buf *[]float64) []float64 {
	const flat = 25
	w := resize(*buf, n)
	*buf = w
	for i := range w {
		w[i] = 1
	}
	if n < flat {
		return w
	}
	ramp := n - flat
	lo := 1 / float64(n)
	for i := range ramp {
		if ramp == 1 {
			w[i] = lo
		} else {
			w[i] = lo + float64(i)*(1-lo)/float64(ramp-1)
		}
	}
	return w
}

// resize returns b with length n, reallocated (with room to grow, as the
// history does one trial at a time) when it is too small; the values are
// not kept.
func resize(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n, max(n, 2*cap(b)))
	}
	return b[:n]
}

func init() {
	search.Register(search.Factory{
		Name: "tpe",
		Doc:  "Tree-structured Parzen Estimator (Bergstra et al. 2011) with Optuna's defaults",
		Options: []search.Option{
			{Param: space.NewInt("n_startup_trials", 0, 1_000_000, false), Default: DefaultStartupTrials,
				Doc: "random trials before the model is used"},
			{Param: space.NewInt("n_ei_candidates", 1, 100_000, false), Default: DefaultEICandidates,
				Doc: "values drawn from the good density per parameter; the best l/g ratio wins"},
			{Param: space.NewFloat("gamma", 1e-6, 1, false), Default: DefaultGamma,
				Doc: "fraction of the scored trials in the good group"},
			{Param: space.NewInt("gamma_max", 1, 1_000_000, false), Default: DefaultGammaMax,
				Doc: "at most this many trials in the good group"},
			{Param: space.NewFloat("prior_weight", 1e-6, 1e6, true), Default: DefaultPriorWeight,
				Doc: "weight of the wide prior kernel of each Parzen estimator"},
			{Param: space.NewCategorical("constant_liar", "false", "true"), Default: 0,
				Doc: "count running trials in the bad group (spreads parallel workers)"},
			{Param: space.NewCategorical("unique", "false", "true"), Default: 1,
				Doc: "draw again when the proposal was asked before (then a random unseen point)"},
		},
		New: func(sp *space.Space, seed int64, opts search.Options) (search.Optimizer, error) {
			return New(sp, seed, Config{
				StartupTrials: int(option(opts, "n_startup_trials", DefaultStartupTrials)),
				EICandidates:  int(option(opts, "n_ei_candidates", DefaultEICandidates)),
				Gamma:         option(opts, "gamma", DefaultGamma),
				GammaMax:      int(option(opts, "gamma_max", DefaultGammaMax)),
				PriorWeight:   option(opts, "prior_weight", DefaultPriorWeight),
				ConstantLiar:  option(opts, "constant_liar", 0) == 1,
				Unique:        option(opts, "unique", 1) == 1,
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
