package portfolio

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	_ "github.com/morphml/morphml/core/optimizers/bananas" // members, registered by name
	_ "github.com/morphml/morphml/core/optimizers/cmaes"
	_ "github.com/morphml/morphml/core/optimizers/evolution"
	_ "github.com/morphml/morphml/core/optimizers/gp"
	_ "github.com/morphml/morphml/core/optimizers/local"
	_ "github.com/morphml/morphml/core/optimizers/random"
	_ "github.com/morphml/morphml/core/optimizers/smac"
	_ "github.com/morphml/morphml/core/optimizers/tpe"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Member is an optimizer of the portfolio: a registered name and its
// options (nil: the defaults).
type Member struct {
	Name    string
	Options search.Options
}

// Defaults.
const (
	DefaultWindow      = 20
	DefaultExploration = 0.5
)

// DefaultMembers are the members of the default portfolio.
var DefaultMembers = []string{"evolution", "local", "tpe", "bananas"}

// Config holds the settings of the portfolio.
type Config struct {
	Members     []Member
	Window      int     // the bandit looks at the last Window*len(Members) trials
	Exploration float64 // UCB's exploration weight c
}

// DefaultConfig returns the default settings.
func DefaultConfig() Config {
	c := Config{Window: DefaultWindow, Exploration: DefaultExploration}
	for _, n := range DefaultMembers {
		c.Members = append(c.Members, Member{Name: n})
	}
	return c
}

// Validate checks the settings (not whether the members exist).
func (c Config) Validate() error {
	switch {
	case len(c.Members) == 0:
		return errors.New("portfolio: no members")
	case c.Window < 1:
		return fmt.Errorf("portfolio: window %d < 1", c.Window)
	case !(c.Exploration >= 0) || math.IsInf(c.Exploration, 1):
		return fmt.Errorf("portfolio: exploration %v is not a non-negative number", c.Exploration)
	}
	for _, m := range c.Members {
		if m.Name == "portfolio" {
			return errors.New("portfolio: a portfolio cannot be its own member")
		}
	}
	return nil
}

// Optimizer is a bandit over member optimizers. It is safe for concurrent
// use.
type Optimizer struct {
	space   *space.Space
	seed    int64
	cfg     Config
	members []search.Optimizer

	mu    sync.Mutex
	cache replay
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns a portfolio over sp. Member k is built with the seed
// seed*1000003 + k, so that two members of the same kind differ.
func New(sp *space.Space, seed int64, cfg Config) (*Optimizer, error) {
	if sp == nil {
		return nil, errors.New("portfolio: nil space")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := &Optimizer{space: sp, seed: seed, cfg: cfg}
	for k, m := range cfg.Members {
		opt, err := search.NewOptimizer(m.Name, sp, seed*1000003+int64(k), m.Options)
		if err != nil {
			return nil, fmt.Errorf("portfolio: member %d: %w", k, err)
		}
		o.members = append(o.members, opt)
	}
	return o, nil
}

// Config returns the optimizer's settings.
func (o *Optimizer) Config() Config { return o.cfg }

// Tell passes the trial on to every member.
func (o *Optimizer) Tell(t search.Trial) error {
	for k, m := range o.members {
		if err := m.Tell(t); err != nil {
			return fmt.Errorf("portfolio: member %d (%s): %w", k, o.cfg.Members[k].Name, err)
		}
	}
	return nil
}

// Ask lets the member the bandit picks for trial h.Next ask, from the whole
// history.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	h = &hs
	k := o.Member(h)
	p, err := o.members[k].Ask(h)
	if err != nil {
		return nil, fmt.Errorf("portfolio: member %d (%s): %w", k, o.cfg.Members[k].Name, err)
	}
	return p, nil
}

// Member returns the index of the member that asks trial h.Next.
func (o *Optimizer) Member(h *search.History) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	lag := len(h.Running) + 1
	r := &o.cache
	if !r.valid(h, lag, len(o.members)) {
		*r = replay{lag: lag, members: len(o.members)}
	}
	r.advance(o, h)
	return r.decide(o, h.Next)
}

// replay derives, trial by trial, which member asked it: the member for
// trial s is the bandit's choice given the trials with IDs <= s - lag.
type replay struct {
	lag, members int
	ids          []int     // trial IDs with a known reward, in ID order (a prefix of the non-negative IDs)
	bits         []uint64  // their score bits (to check the history still agrees)
	reward       []float64 // by ID
	who          []int     // the member of each trial ID, for the final decisions
	sorted       []float64 // scores of the rewarded trials, ascending
}

// valid reports whether the cache agrees with h.
func (r *replay) valid(h *search.History, lag, members int) bool {
	if r.lag != lag || r.members != members {
		return false
	}
	k := 0
	for _, t := range h.Done {
		if t.ID < 0 {
			continue
		}
		if k == len(r.ids) {
			return true
		}
		if t.ID != r.ids[k] || math.Float64bits(h.Score(t)) != r.bits[k] {
			return false
		}
		k++
	}
	return k == len(r.ids)
}

// advance computes the rewards of the finished trials that extend the
// prefix of trial IDs 0, 1, 2, ...: a trial's reward is the fraction of the
// earlier trials whose score it beats (0 for failed and pruned trials).
func (r *replay) advance(o *Optimizer, h *search.History) {
	for _, t := range h.Done {
		if t.ID < len(r.ids) || t.ID < 0 {
			continue
		}
		if t.ID != len(r.ids) {
			break // a gap: the trial before is still running
		}
		s := h.Score(t)
		rw := 0.0
		if !math.IsInf(s, -1) && len(r.sorted) > 0 {
			below := sort.SearchFloat64s(r.sorted, s) // earlier trials strictly worse
			rw = float64(below) / float64(len(r.sorted))
		}
		if !math.IsInf(s, -1) {
			i := sort.SearchFloat64s(r.sorted, s)
			r.sorted = append(r.sorted, 0)
			copy(r.sorted[i+1:], r.sorted[i:])
			r.sorted[i] = s
		}
		r.ids = append(r.ids, t.ID)
		r.bits = append(r.bits, math.Float64bits(s))
		r.reward = append(r.reward, rw)
	}
}

// decide returns the member of trial next, deciding every trial up to it.
// A decision whose counted trials are all known is final and cached; the
// others (possible only when the history is not a prefix of trial IDs)
// are derived again at every ask.
func (r *replay) decide(o *Optimizer, next int) int {
	who := r.who
	for s := len(r.who); s <= next; s++ {
		known := s - r.lag + 1 // trials 0 .. known-1 count
		k := r.ucb(o, who, max(min(known, len(r.ids)), 0))
		who = append(who, k)
		if known <= len(r.ids) && s == len(r.who) {
			r.who = who[:len(r.who)+1]
		}
	}
	return who[next]
}

// ucb picks the member with the best UCB score over the window of the last
// Window*members trials with IDs below known: the mean reward of a member's
// trials in the window plus Exploration * sqrt(2 ln N / n) (n its trials in
// the window, N all of them); a member without trials in the window first,
// ties to the earlier member.
func (r *replay) ucb(o *Optimizer, who []int, known int) int {
	m := r.members
	sum := make([]float64, m)
	cnt := make([]int, m)
	for id := known - 1; id >= max(known-o.cfg.Window*m, 0); id-- {
		sum[who[id]] += r.reward[id]
		cnt[who[id]]++
	}
	total := known - max(known-o.cfg.Window*m, 0)
	best, bestScore := 0, math.Inf(-1)
	for k := range m {
		score := math.Inf(1)
		if cnt[k] > 0 {
			score = sum[k]/float64(cnt[k]) + o.cfg.Exploration*math.Sqrt(2*math.Log(float64(total))/float64(cnt[k]))
		}
		if score > bestScore {
			best, bestScore = k, score
		}
	}
	return best
}

func init() {
	opts := []search.Option{
		{Param: space.NewInt("window", 1, 1_000_000, false), Default: DefaultWindow,
			Doc: "the bandit looks at the last window*members trials"},
		{Param: space.NewFloat("exploration", 0, 100, false), Default: DefaultExploration,
			Doc: "UCB's exploration weight"},
	}
	for _, n := range memberNames {
		def := 0.0
		for _, d := range DefaultMembers {
			if d == n {
				def = 1
			}
		}
		opts = append(opts, search.Option{Param: space.NewCategorical("use_"+n, "false", "true"), Default: def,
			Doc: "include " + n + " (with its default options) among the members"})
	}
	search.Register(search.Factory{
		Name:    "portfolio",
		Doc:     "a bandit (sliding-window UCB on rank rewards) allocating trials among member optimizers (" + strings.Join(DefaultMembers, ", ") + " by default)",
		Options: opts,
		New: func(sp *space.Space, seed int64, o search.Options) (search.Optimizer, error) {
			cfg := Config{Window: int(option(o, "window", DefaultWindow)), Exploration: option(o, "exploration", DefaultExploration)}
			for _, n := range memberNames {
				def := 0.0
				for _, d := range DefaultMembers {
					if d == n {
						def = 1
					}
				}
				if option(o, "use_"+n, def) == 1 {
					cfg.Members = append(cfg.Members, Member{Name: n})
				}
			}
			return New(sp, seed, cfg)
		},
	})
}

// memberNames are the optimizers the factory's options can include, in
// member order.
var memberNames = []string{"evolution", "local", "tpe", "bananas", "smac", "gp", "cmaes", "random"}

// option returns opts[name], or def when it is not set.
func option(opts search.Options, name string, def float64) float64 {
	if v, ok := opts[name]; ok {
		return v
	}
	return def
}
