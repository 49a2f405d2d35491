package pso

import (
	"errors"
	"fmt"
	"math"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Defaults, tuned on NAS-Bench-201 (CIFAR-10) by the mean 12-epoch
// validation accuracy of the pick over 100 runs of 100 queries (seeds
// 1000-1099, apart from the seeds reported in the README). The constriction
// setting of Clerc and Kennedy (w = 0.7298, c1 = c2 = 1.49618, vmax = 0.5)
// with 20 particles reached 84.21; what mattered was a small vmax, one bin
// of a five-choice categorical (0.2: 84.47 with 10 particles, 0.1: 84.24),
// and a low inertia (0.4: 84.67; 0 and 0.2 were equal). c1 = c2 = 2 gave
// 84.72; 8 to 15 particles were equal. At 300 queries: 84.87 (the
// constriction setting: 84.66).
const (
	DefaultSwarmSize = 10
	DefaultW         = 0.4
	DefaultC1        = 2.0
	DefaultC2        = 2.0
	DefaultVMax      = 0.2
)

// Config holds the settings of particle swarm optimization.
type Config struct {
	SwarmSize int     // particles; also the number of random trials to start with
	W         float64 // inertia weight
	C1        float64 // cognitive weight: pull towards the particle's best
	C2        float64 // social weight: pull towards the swarm's best
	VMax      float64 // largest velocity per coordinate, in units of the cube
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{SwarmSize: DefaultSwarmSize, W: DefaultW, C1: DefaultC1, C2: DefaultC2, VMax: DefaultVMax}
}

// Validate checks the settings.
func (c Config) Validate() error {
	switch {
	case c.SwarmSize < 1:
		return fmt.Errorf("pso: swarm size %d < 1", c.SwarmSize)
	case !(c.W >= 0 && c.W <= 2):
		return fmt.Errorf("pso: inertia w=%v is not in [0, 2]", c.W)
	case !(c.C1 >= 0 && c.C1 <= 4):
		return fmt.Errorf("pso: cognitive weight c1=%v is not in [0, 4]", c.C1)
	case !(c.C2 >= 0 && c.C2 <= 4):
		return fmt.Errorf("pso: social weight c2=%v is not in [0, 4]", c.C2)
	case !(c.VMax > 0 && c.VMax <= 1):
		return fmt.Errorf("pso: vmax=%v is not in (0, 1]", c.VMax)
	}
	return nil
}

// retries is how many kicked positions Ask tries before a random point.
const retries = 20

// Optimizer is particle swarm optimization. It keeps no state: every Ask is
// a function of the seed, the configuration and the history.
type Optimizer struct {
	space *space.Space
	seed  int64
	cfg   Config
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns particle swarm optimization over sp.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("pso: nil space")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Optimizer{space: sp, seed: seed, cfg: cfg}, nil
}

// Config returns the optimizer's settings.
func (o *Optimizer) Config() Config { return o.cfg }

// Ask returns a random point for the first SwarmSize trials and the next
// position of the trial's particle after that.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	h = &hs
	rng := search.Rand(o.seed, h.Next)
	S := o.cfg.SwarmSize
	prev, ok := o.asked(h, h.Next-S)
	gbest, gok := h.Best()
	if h.Next < S || !ok || !gok {
		return search.SampleUnseen(h, rng, 100), nil
	}
	x := o.space.ToUnit(prev)
	v := make([]float64, len(x))
	if older, ok := o.asked(h, h.Next-2*S); ok {
		xo := o.space.ToUnit(older)
		for j := range v {
			v[j] = x[j] - xo[j]
		}
	}
	p := x
	if pb, ok := o.particleBest(h, h.Next%S); ok {
		p = o.space.ToUnit(pb.Params)
	}
	g := o.space.ToUnit(gbest.Params)
	next := make([]float64, len(x))
	for j := range x {
		vj := o.cfg.W*v[j] + o.cfg.C1*rng.Float64()*(p[j]-x[j]) + o.cfg.C2*rng.Float64()*(g[j]-x[j])
		vj = math.Max(-o.cfg.VMax, math.Min(o.cfg.VMax, vj))
		next[j] = fold(x[j] + vj)
	}
	pt := o.space.FromUnit(next)
	for range retries {
		if !h.Seen(pt) {
			return pt, nil
		}
		pt = o.space.Mutate(pt, rng)
	}
	if !h.Seen(pt) {
		return pt, nil
	}
	return search.SampleUnseen(h, rng, 100), nil
}

// asked returns the point of trial id, finished or running.
func (o *Optimizer) asked(h *search.History, id int) (space.Point, bool) {
	if id < 0 {
		return nil, false
	}
	for _, ts := range [][]search.Trial{h.Done, h.Running} {
		for _, t := range ts {
			if t.ID == id {
				return t.Params, true
			}
		}
	}
	return nil, false
}

// particleBest returns the best finished trial of particle i (the earliest
// on ties).
func (o *Optimizer) particleBest(h *search.History, i int) (search.Trial, bool) {
	best, score, ok := search.Trial{}, math.Inf(-1), false
	for _, t := range h.Done {
		if t.ID%o.cfg.SwarmSize != i {
			continue
		}
		if s := h.Score(t); !ok || s > score {
			best, score, ok = t, s, true
		}
	}
	return best, ok && !math.IsInf(score, -1)
}

// fold reflects a coordinate back into [0,1].
func fold(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0.5
	case x < 0:
		return math.Min(-x, 1)
	case x > 1:
		return math.Max(2-x, 0)
	}
	return x
}

// Tell does nothing: the swarm is read from the history.
func (o *Optimizer) Tell(search.Trial) error { return nil }

func init() {
	search.Register(search.Factory{
		Name: "pso",
		Doc:  "particle swarm optimization on the continuous relaxation of the space (categoricals as bins of [0,1], integers rounded)",
		Options: []search.Option{
			{Param: space.NewInt("swarm_size", 1, 1_000_000, false), Default: DefaultSwarmSize,
				Doc: "particles; also the number of random trials to start with"},
			{Param: space.NewFloat("w", 0, 2, false), Default: DefaultW,
				Doc: "inertia weight: how much of its last move a particle keeps"},
			{Param: space.NewFloat("c1", 0, 4, false), Default: DefaultC1,
				Doc: "cognitive weight: random pull towards the particle's own best trial"},
			{Param: space.NewFloat("c2", 0, 4, false), Default: DefaultC2,
				Doc: "social weight: random pull towards the swarm's best trial"},
			{Param: space.NewFloat("vmax", 1e-6, 1, false), Default: DefaultVMax,
				Doc: "largest step per coordinate, as a fraction of the parameter's range"},
		},
		New: func(sp *space.Space, seed int64, opts search.Options) (search.Optimizer, error) {
			return New(sp, seed, Config{
				SwarmSize: int(option(opts, "swarm_size", DefaultSwarmSize)),
				W:         option(opts, "w", DefaultW),
				C1:        option(opts, "c1", DefaultC1),
				C2:        option(opts, "c2", DefaultC2),
				VMax:      option(opts, "vmax", DefaultVMax),
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
