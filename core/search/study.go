package search

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
)

// StudyConfig says what a study searches and how.
type StudyConfig struct {
	Name          string
	Space         *space.Space
	Optimizer     Optimizer
	OptimizerName string      // the registered name, recorded in the store
	Directions    []Direction // one per objective; default: one, Maximize
	Seed          int64
	Storage       Storage // nil: trials live in memory only
	Pruner        Pruner  // nil: never prune
	Source        string  // the spec the study came from (.morph text), stored for resume
	Attrs         map[string]string
}

// Study is one search: its trials and the optimizer that proposes them.
// A Study is safe for concurrent use.
type Study struct {
	cfg StudyConfig

	// opt serializes the optimizer's Ask and Tell calls, and the asks (a new
	// trial's ID is len(trials) until it is added).
	opt sync.Mutex

	mu      sync.Mutex
	trials  []Trial               // index = ID; a finished trial is never written again (histories share it)
	prefix  int                   // trials [0, prefix) have all finished
	points  *pointIndex           // the point of every trial, for History.Seen
	waiters map[int]chan struct{} // closed when the trial finishes (made for trials someone waits on)
	told    int                   // trials [0, told) were told to the optimizer by the loop
	byHash  map[string]int        // canonical arch hash -> first trial ID with it
}

// NewStudy opens a study. With a Storage that already holds a study of this
// name, its trials are loaded (a resume): finished trials are kept and
// replayed to the optimizer, trials left running by a killed process are
// evaluated again under their own IDs by the next Optimize.
func NewStudy(cfg StudyConfig) (*Study, error) {
	if cfg.Name == "" {
		return nil, errors.New("study: a name is required")
	}
	if cfg.Space == nil {
		return nil, fmt.Errorf("study %q: no search space", cfg.Name)
	}
	if err := cfg.Space.Validate(); err != nil {
		return nil, fmt.Errorf("study %q: %w", cfg.Name, err)
	}
	if cfg.Optimizer == nil {
		return nil, fmt.Errorf("study %q: no optimizer", cfg.Name)
	}
	if len(cfg.Directions) == 0 {
		cfg.Directions = []Direction{Maximize}
	}
	s := &Study{cfg: cfg, points: newPointIndex(), waiters: map[int]chan struct{}{}, byHash: map[string]int{}}
	if cfg.Storage == nil {
		return s, nil
	}
	info, err := cfg.Storage.LoadStudy(cfg.Name)
	switch {
	case errors.Is(err, ErrNoStudy):
		return s, cfg.Storage.CreateStudy(s.Info())
	case err != nil:
		return nil, fmt.Errorf("study %q: %w", cfg.Name, err)
	}
	if err := compatible(info, s.Info()); err != nil {
		return nil, fmt.Errorf("study %q exists in the store with another definition: %w", cfg.Name, err)
	}
	trials, err := cfg.Storage.Trials(cfg.Name)
	if err != nil {
		return nil, fmt.Errorf("study %q: load trials: %w", cfg.Name, err)
	}
	for i, t := range trials {
		if t.ID != i {
			return nil, fmt.Errorf("study %q: stored trial IDs are not 0..%d (found %d at %d)", cfg.Name, len(trials)-1, t.ID, i)
		}
		if t.Arch == nil && cfg.Space.Decoder != nil {
			if t.Arch, err = cfg.Space.Decode(t.Params); err != nil && !errors.Is(err, space.ErrConstraint) {
				return nil, fmt.Errorf("study %q: trial %d: %w", cfg.Name, t.ID, err)
			}
		}
		s.add(t)
	}
	return s, nil
}

func compatible(stored, want StudyInfo) error {
	if len(stored.Params) != len(want.Params) {
		return fmt.Errorf("%d parameters stored, %d now", len(stored.Params), len(want.Params))
	}
	for i := range stored.Params {
		if stored.Params[i].Name != want.Params[i].Name || stored.Params[i].Kind != want.Params[i].Kind {
			return fmt.Errorf("parameter %d is %s (%v) in the store and %s (%v) now", i,
				stored.Params[i].Name, stored.Params[i].Kind, want.Params[i].Name, want.Params[i].Kind)
		}
	}
	if len(stored.Directions) != len(want.Directions) {
		return fmt.Errorf("%d objectives stored, %d now", len(stored.Directions), len(want.Directions))
	}
	return nil
}

// add appends a loaded or new trial; the caller holds mu or owns s.
func (s *Study) add(t Trial) {
	s.trials = append(s.trials, t)
	s.points.add(t.ID, t.Params)
	s.advancePrefix()
	if t.ArchHash != "" {
		if _, ok := s.byHash[t.ArchHash]; !ok {
			s.byHash[t.ArchHash] = t.ID
		}
	}
}

// advancePrefix moves prefix past the trials that have finished; the
// caller holds mu or owns s.
func (s *Study) advancePrefix() {
	for s.prefix < len(s.trials) && s.trials[s.prefix].State.Finished() {
		s.prefix++
	}
}

// waitFor returns a channel closed when trial id finishes; the caller holds
// mu and has checked that the trial is running.
func (s *Study) waitFor(id int) chan struct{} {
	ch, ok := s.waiters[id]
	if !ok {
		ch = make(chan struct{})
		s.waiters[id] = ch
	}
	return ch
}

// Info is what the store keeps about this study.
func (s *Study) Info() StudyInfo {
	return StudyInfo{
		Name: s.cfg.Name, Directions: s.cfg.Directions, Params: s.cfg.Space.Params,
		Optimizer: s.cfg.OptimizerName, Seed: s.cfg.Seed, Source: s.cfg.Source,
		Attrs: s.cfg.Attrs, Created: time.Now().UTC(),
	}
}

// Name is the study's name.
func (s *Study) Name() string { return s.cfg.Name }

// Space is the study's search space.
func (s *Study) Space() *space.Space { return s.cfg.Space }

// Directions are the objectives' directions.
func (s *Study) Directions() []Direction { return s.cfg.Directions }

// Trials returns a copy of every trial, in ID order.
func (s *Study) Trials() []Trial {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Trial, len(s.trials))
	for i, t := range s.trials {
		out[i] = t.Clone()
	}
	return out
}

// Snapshot returns every trial, in ID order, for reading only: trials
// that have finished are shared with the study (they never change again),
// running ones are copies. When every trial has finished it copies
// nothing, which is what exports of large studies (results.Trials) need;
// use Trials for copies that may be modified.
func (s *Study) Snapshot() []Trial {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, k := len(s.trials), s.prefix
	if k == n {
		return s.trials[:n:n]
	}
	out := make([]Trial, n)
	copy(out, s.trials[:k])
	for i := k; i < n; i++ {
		if s.trials[i].State.Finished() {
			out[i] = s.trials[i]
		} else {
			out[i] = s.trials[i].Clone()
		}
	}
	return out
}

// Trial returns one trial by ID.
func (s *Study) Trial(id int) (Trial, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id < 0 || id >= len(s.trials) {
		return Trial{}, false
	}
	return s.trials[id].Clone(), true
}

// Len is the number of trials.
func (s *Study) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.trials)
}

// Best returns the complete trial with the best first objective (earliest on
// ties) and false when there is none.
func (s *Study) Best() (Trial, bool) {
	h := s.history(math.MaxInt, 0)
	return h.Best()
}

// BestTrials returns the Pareto-optimal complete trials (for one objective:
// the best ones), in ID order.
func (s *Study) BestTrials() []Trial {
	h := s.history(math.MaxInt, 0)
	var out []Trial
	for _, t := range h.Done {
		if t.State != Complete || len(t.Values) != len(s.cfg.Directions) {
			continue
		}
		dominated := false
		for _, o := range h.Done {
			if o.State == Complete && len(o.Values) == len(t.Values) && s.dominates(o, t) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, t)
		}
	}
	return out
}

func (s *Study) dominates(a, b Trial) bool {
	better := false
	for i, d := range s.cfg.Directions {
		x, y := a.Values[i], b.Values[i]
		if d == Minimize {
			x, y = -x, -y
		}
		if x < y || math.IsNaN(x) {
			return false
		}
		if x > y {
			better = true
		}
	}
	return better
}

// history builds what the optimizer sees: finished trials with ID <= upto are
// Done, the others Running (unless not yet asked). next is the ID asked for.
//
// It costs O(trials beyond the finished prefix), not O(trials): Done shares
// the study's array for the prefix of trials that have all finished (they
// never change again; the slice is capacity-limited so that an append
// copies), and only the trials after it are copied.
func (s *Study) history(upto, next int) *History {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, k := len(s.trials), s.prefix
	if upto < k {
		k = max(upto+1, 0)
	}
	extra := 0 // finished trials after the prefix that are Done
	for i := k; i < n && i <= upto; i++ {
		if s.trials[i].State.Finished() {
			extra++
		}
	}
	h := &History{Space: s.cfg.Space, Directions: s.cfg.Directions, Next: next}
	if extra == 0 {
		h.Done = s.trials[:k:k]
		if h.Done == nil {
			h.Done = []Trial{}
		}
	} else {
		h.Done = make([]Trial, k, k+extra)
		copy(h.Done, s.trials[:k])
	}
	if r := n - k - extra; r > 0 {
		h.Running = make([]Trial, 0, r)
	}
	for i := k; i < n; i++ {
		if t := s.trials[i]; i <= upto && t.State.Finished() {
			h.Done = append(h.Done, t)
		} else {
			h.Running = append(h.Running, t)
		}
	}
	h.index = historyIndex{points: s.points, n: n, done: h.Done, running: h.Running}
	return h
}

// hashOf returns the canonical hash of an architecture ("" for none).
func hashOf(a *graph.Arch) string {
	if a == nil {
		return ""
	}
	return graph.Hash(a)
}
