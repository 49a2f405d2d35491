package search

import (
	"math"
	"math/rand/v2"

	"github.com/morphml/morphml/core/space"
)

// History is what an optimizer sees when it is asked for a point.
//
// Done and Running are read-only and shared: a Study gives every history
// the same array for the finished trials before the first running one
// (they never change), in capacity-limited slices so that an append
// copies. Never write, sort or swap their elements in place; copy first.
// Optimizers may rely on the converse to cache what they read: a Done
// whose first element has the address of that of a Done seen at an
// earlier ask holds, at the positions seen then, the same trials. Code
// that builds histories by hand keeps that true by giving each ask fresh
// slices (or ones that only grow), never an array rewritten in place.
type History struct {
	Space      *space.Space
	Directions []Direction
	Done       []Trial // finished trials, in ID order
	Running    []Trial // asked and not finished yet, in ID order
	Next       int     // the ID of the trial being asked for

	index historyIndex // set by Study: Seen without a scan
}

// Score maps objective 0 of a trial to "higher is better"; trials without a
// value (failed, pruned) score -Inf.
func (h *History) Score(t Trial) float64 {
	if t.State != Complete || len(t.Values) == 0 || math.IsNaN(t.Values[0]) {
		return math.Inf(-1)
	}
	if len(h.Directions) > 0 && h.Directions[0] == Minimize {
		return -t.Values[0]
	}
	return t.Values[0]
}

// Best returns the finished trial with the highest Score (the earliest on
// ties) and false when no trial has a value.
func (h *History) Best() (Trial, bool) {
	best, ok := Trial{}, false
	for _, t := range h.Done {
		if s := h.Score(t); !math.IsInf(s, -1) && (!ok || s > h.Score(best)) {
			best, ok = t, true
		}
	}
	return best, ok
}

// Seen reports whether a point was already asked (finished or running).
// On a history from a Study it is a map lookup; on one built by hand, or
// whose Done or Running was replaced, a scan of both.
func (h *History) Seen(p space.Point) bool {
	if h.index.covers(h) {
		return h.index.points.seen(p, h.index.n)
	}
	for _, ts := range [][]Trial{h.Done, h.Running} {
		for _, t := range ts {
			if t.Params.Equal(p) {
				return true
			}
		}
	}
	return false
}

// Optimizer proposes points. Ask must be deterministic for a seed and a
// history (use Rand(seed, h.Next)); Tell informs it of a finished trial, in
// ID order. Optimizers do no I/O and start no goroutines.
type Optimizer interface {
	Ask(h *History) (space.Point, error)
	Tell(t Trial) error
}

// Pruner decides whether a running trial, whose Curve holds what it has
// reported so far, should stop.
type Pruner interface {
	Prune(h *History, t Trial) bool
}

// Rand returns the random source for asking trial id under seed: the same
// pair always gives the same stream, independent of timing and parallelism.
func Rand(seed int64, id int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15^uint64(id)))
}

// SampleUnseen draws a uniformly random point that h has not seen, trying up
// to tries times, and returns the last draw if every try was seen.
func SampleUnseen(h *History, rng *rand.Rand, tries int) space.Point {
	p := h.Space.Sample(rng)
	for i := 1; i < tries && h.Seen(p); i++ {
		p = h.Space.Sample(rng)
	}
	return p
}
