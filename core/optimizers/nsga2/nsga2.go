package nsga2

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"sync"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Defaults, tuned on the multi-objective NAS-Bench-201 benchmark
// (bench.RunNB201MO, CIFAR-10, validation accuracy against parameters) by
// the mean normalized validation hypervolume over 100 runs of 100 queries
// (seeds 1000-1099, apart from the seeds reported in the README): 10
// parents with crossover 0.5 gave 0.820, crossover 0.9 0.816, 20 parents
// 0.800, 6 parents 0.817, a mutation probability of 0.33 instead of 1/6
// 0.809. At 300 queries (50 runs) 10 and 20 parents were equal (0.861).
// Keeping copies of an objective vector out of the parents while distinct
// vectors remain raised the mean at 100 queries from 0.809 to 0.819 (seeds
// 0-49).
const (
	DefaultPopulationSize = 10
	DefaultCrossoverProb  = 0.5
	DefaultMutationProb   = 0 // 0: 1 / number of parameters
)

// Config holds the settings of NSGA-II.
type Config struct {
	PopulationSize int     // trials per generation, and parents kept (>= 2)
	CrossoverProb  float64 // probability that a child recombines two parents
	MutationProb   float64 // probability that each parameter changes (0: 1/d)
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	return Config{PopulationSize: DefaultPopulationSize, CrossoverProb: DefaultCrossoverProb, MutationProb: DefaultMutationProb}
}

// Validate checks the settings.
func (c Config) Validate() error {
	switch {
	case c.PopulationSize < 2:
		return fmt.Errorf("nsga2: population size %d < 2", c.PopulationSize)
	case !(c.CrossoverProb >= 0 && c.CrossoverProb <= 1):
		return fmt.Errorf("nsga2: crossover probability %v is not in [0, 1]", c.CrossoverProb)
	case !(c.MutationProb >= 0 && c.MutationProb <= 1):
		return fmt.Errorf("nsga2: mutation probability %v is not in [0, 1]", c.MutationProb)
	}
	return nil
}

// retries is how many children Ask breeds before it takes a random point.
const retries = 30

// Optimizer is NSGA-II. It is safe for concurrent use.
type Optimizer struct {
	space *space.Space
	seed  int64
	cfg   Config

	mu   sync.Mutex
	gens [][]search.Trial // gens[g]: P_g, for generations whose earlier trials all finished
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns NSGA-II over sp.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("nsga2: nil space")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Optimizer{space: sp, seed: seed, cfg: cfg}, nil
}

// Config returns the optimizer's settings.
func (o *Optimizer) Config() Config { return o.cfg }

// Ask returns a random point in generation 0 (and while no parent has
// finished) and a child of the generation's parents after that.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	if len(hs.Directions) == 0 {
		hs.Directions = []search.Direction{search.Maximize}
	}
	h = &hs
	rng := search.Rand(o.seed, h.Next)
	g := h.Next / o.cfg.PopulationSize
	if g == 0 {
		return search.SampleUnseen(h, rng, 100), nil
	}
	pop := o.rank(o.Parents(h, g), h.Directions)
	if len(pop) == 0 {
		return search.SampleUnseen(h, rng, 100), nil
	}
	for range retries {
		a, b := tournament(pop, rng), tournament(pop, rng)
		child := a.trial.Params
		if rng.Float64() < o.cfg.CrossoverProb {
			child = o.space.Crossover(child, b.trial.Params, rng)
		}
		child = o.mutate(child, rng)
		if child.Equal(a.trial.Params) || child.Equal(b.trial.Params) {
			child = o.space.Mutate(child, rng)
		}
		if !h.Seen(child) {
			return child, nil
		}
	}
	return search.SampleUnseen(h, rng, 100), nil
}

// mutate changes each parameter with the mutation probability.
func (o *Optimizer) mutate(p space.Point, rng *rand.Rand) space.Point {
	pm := o.cfg.MutationProb
	if pm == 0 && len(p) > 0 {
		pm = 1 / float64(len(p))
	}
	out := p.Clone()
	for i, prm := range o.space.Params {
		if rng.Float64() < pm {
			one := space.Space{Params: []space.Param{prm}}
			out[i] = one.Mutate(space.Point{out[i]}, rng)[0]
		}
	}
	return out
}

// Parents returns P_g, the parents of generation g (g >= 1), in the order
// of the selection (best first).
func (o *Optimizer) Parents(h *search.History, g int) []search.Trial {
	n := o.cfg.PopulationSize
	dirs := h.Directions
	if len(dirs) == 0 {
		dirs = []search.Direction{search.Maximize}
	}
	blocks := make([][]search.Trial, g) // finished trials of generations 0 .. g-1
	for _, t := range h.Done {
		if b := t.ID / n; b < g {
			blocks[b] = append(blocks[b], t)
		}
	}
	complete := 0 // blocks 0 .. complete-1 hold whole generations
	for complete < g && len(blocks[complete]) == n {
		complete++
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var pop []search.Trial
	start := 0
	for k := min(complete, len(o.gens)-1); k >= 1; k-- {
		if o.gens[k] != nil && o.cached(o.gens[k], blocks) {
			pop, start = o.gens[k], k
			break
		}
	}
	for b := start; b < g; b++ {
		pop = o.selectN(append(append([]search.Trial(nil), pop...), blocks[b]...), dirs)
		if b < complete {
			for len(o.gens) <= b+1 {
				o.gens = append(o.gens, nil)
			}
			o.gens[b+1] = pop
		}
	}
	return pop
}

// cached reports whether the trials of a cached population are those of the
// complete blocks (a check that the cache came from this history).
func (o *Optimizer) cached(pop []search.Trial, blocks [][]search.Trial) bool {
	n := o.cfg.PopulationSize
	for _, t := range pop {
		b := blocks[t.ID/n]
		if len(b) != n {
			return false
		}
		u := b[t.ID%n]
		if u.ID != t.ID || !u.Params.Equal(t.Params) || !space.Point(u.Values).Equal(t.Values) {
			return false
		}
	}
	return true
}

// valid reports whether a trial can be a parent.
func valid(t search.Trial, dirs []search.Direction) bool {
	if t.State != search.Complete || len(t.Values) != len(dirs) {
		return false
	}
	for _, v := range t.Values {
		if math.IsNaN(v) {
			return false
		}
	}
	return true
}

// selectN keeps the best PopulationSize valid trials of cand: whole fronts
// while they fit, then the least crowded of the next front (the lower ID on
// ties). A trial whose objective vector equals that of a trial with a lower
// ID (an isomorphic architecture, a repeated point) only fills places that
// distinct vectors leave empty, so that copies do not crowd out diversity.
func (o *Optimizer) selectN(cand []search.Trial, dirs []search.Direction) []search.Trial {
	var ok []search.Trial
	for _, t := range cand {
		if valid(t, dirs) {
			ok = append(ok, t)
		}
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].ID < ok[j].ID })
	var uniq, dups []search.Trial
	seen := map[string]bool{}
	for _, t := range ok {
		if k := space.Point(t.Values).Key(); !seen[k] {
			seen[k] = true
			uniq = append(uniq, t)
		} else {
			dups = append(dups, t)
		}
	}
	out := o.fill(nil, uniq, dirs)
	return o.fill(out, dups, dirs)
}

// fill appends to out the best of cand by fronts and crowding until out
// holds PopulationSize trials.
func (o *Optimizer) fill(out, cand []search.Trial, dirs []search.Direction) []search.Trial {
	if len(out) >= o.cfg.PopulationSize || len(cand) == 0 {
		return out
	}
	vecs := make([][]float64, len(cand))
	for i, t := range cand {
		vecs[i] = t.Values
	}
	_, fronts := search.NonDominatedSort(vecs, dirs)
	for _, f := range fronts {
		if len(out)+len(f) <= o.cfg.PopulationSize {
			for _, i := range f {
				out = append(out, cand[i])
			}
			continue
		}
		cd := search.CrowdingDistance(vecs, f)
		order := make([]int, len(f))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return cd[order[a]] > cd[order[b]] })
		for _, k := range order[:o.cfg.PopulationSize-len(out)] {
			out = append(out, cand[f[k]])
		}
		break
	}
	return out
}

// ranked is a parent with its non-dominated rank and crowding distance
// within the parents.
type ranked struct {
	trial    search.Trial
	rank     int
	crowding float64
}

func (o *Optimizer) rank(pop []search.Trial, dirs []search.Direction) []ranked {
	vecs := make([][]float64, len(pop))
	for i, t := range pop {
		vecs[i] = t.Values
	}
	rk, fronts := search.NonDominatedSort(vecs, dirs)
	out := make([]ranked, len(pop))
	for i, t := range pop {
		out[i] = ranked{trial: t, rank: rk[i]}
	}
	for _, f := range fronts {
		for k, d := range search.CrowdingDistance(vecs, f) {
			out[f[k]].crowding = d
		}
	}
	return out
}

// tournament draws two parents at random and returns the better by the
// crowded comparison (the first drawn on a tie).
func tournament(pop []ranked, rng *rand.Rand) ranked {
	a, b := pop[rng.IntN(len(pop))], pop[rng.IntN(len(pop))]
	if b.rank < a.rank || (b.rank == a.rank && b.crowding > a.crowding) {
		return b
	}
	return a
}

// Tell does nothing: the parents are read from the history.
func (o *Optimizer) Tell(search.Trial) error { return nil }

func init() {
	search.Register(search.Factory{
		Name: "nsga2",
		Doc:  "NSGA-II for one or more objectives: non-dominated sorting, crowding distance, binary tournaments, uniform crossover and mutation",
		Options: []search.Option{
			{Param: space.NewInt("population_size", 2, 1_000_000, false), Default: DefaultPopulationSize,
				Doc: "trials per generation (the first is random) and parents kept"},
			{Param: space.NewFloat("crossover_prob", 0, 1, false), Default: DefaultCrossoverProb,
				Doc: "probability that a child recombines two parents (uniform crossover)"},
			{Param: space.NewFloat("mutation_prob", 0, 1, false), Default: DefaultMutationProb,
				Doc: "probability that each parameter of a child changes (0: 1 / number of parameters)"},
		},
		New: func(sp *space.Space, seed int64, opts search.Options) (search.Optimizer, error) {
			return New(sp, seed, Config{
				PopulationSize: int(option(opts, "population_size", DefaultPopulationSize)),
				CrossoverProb:  option(opts, "crossover_prob", DefaultCrossoverProb),
				MutationProb:   option(opts, "mutation_prob", DefaultMutationProb),
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
