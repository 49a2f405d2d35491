package stats

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// What model-based optimizers read from a history.

// Seen is the set of points a history has asked: finished or running.
type Seen struct {
	keys map[string]bool
}

// NewSeen returns the points of h's finished and running trials.
func NewSeen(h *search.History) *Seen {
	s := &Seen{keys: make(map[string]bool, len(h.Done)+len(h.Running))}
	for _, t := range h.Done {
		s.keys[pointKey(t.Params)] = true
	}
	for _, t := range h.Running {
		s.keys[pointKey(t.Params)] = true
	}
	return s
}

// Has reports whether p was asked.
func (s *Seen) Has(p space.Point) bool { return s.keys[pointKey(p)] }

// Add records p as asked.
func (s *Seen) Add(p space.Point) { s.keys[pointKey(p)] = true }

// SampleUnseen draws uniform points of sp until one was not asked, at most
// tries times, and returns the last draw.
func (s *Seen) SampleUnseen(sp *space.Space, rng *rand.Rand, tries int) space.Point {
	p := sp.Sample(rng)
	for i := 1; i < tries && s.Has(p); i++ {
		p = sp.Sample(rng)
	}
	return p
}

// Completed returns the trials of h.Done that a model can learn from: the
// completed ones with a finite score whose point belongs to h.Space, in
// Done order.
func Completed(h *search.History) []search.Trial {
	var out []search.Trial
	for _, t := range h.Done {
		if s := h.Score(t); !math.IsInf(s, 0) && !math.IsNaN(s) && (h.Space == nil || h.Space.Contains(t.Params)) {
			out = append(out, t)
		}
	}
	return out
}

// byScore returns the indices of trials, best score first (the earliest on
// ties).
func byScore(h *search.History, trials []search.Trial) []int {
	idx := make([]int, len(trials))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return h.Score(trials[idx[a]]) > h.Score(trials[idx[b]]) })
	return idx
}

// TopPoints returns the points of the k best trials, best first.
func TopPoints(h *search.History, trials []search.Trial, k int) []space.Point {
	var out []space.Point
	for _, i := range byScore(h, trials)[:min(k, len(trials))] {
		out = append(out, trials[i].Params)
	}
	return out
}

// BestAndRecent keeps at most n of the trials, in their order: the n/2 best
// and the most recent others. It bounds the data of a model whose cost
// grows fast with it.
func BestAndRecent(h *search.History, trials []search.Trial, n int) []search.Trial {
	if len(trials) <= n {
		return trials
	}
	keep := make([]bool, len(trials))
	for _, i := range byScore(h, trials)[:n/2] {
		keep[i] = true
	}
	left := n - n/2
	for i := len(trials) - 1; i >= 0 && left > 0; i-- {
		if !keep[i] {
			keep[i] = true
			left--
		}
	}
	out := make([]search.Trial, 0, n)
	for i, t := range trials {
		if keep[i] {
			out = append(out, t)
		}
	}
	return out
}
