package pruners

import (
	"math"
	"strconv"

	"github.com/morphml/morphml/core/search"
)

// valueAt returns a trial's value at rung r: the first value it reported at
// a step >= r; false when it has not reached the rung.
func valueAt(curve []search.Step, r float64) (float64, bool) {
	for _, s := range curve {
		if float64(s.Step) >= r {
			return s.Value, true
		}
	}
	return 0, false
}

// crossed returns the rungs the last report of curve reached first: those
// with the previous report's step < rung <= the last report's step.
func crossed(curve []search.Step, rungs []float64) []int {
	if len(curve) == 0 {
		return nil
	}
	last := float64(curve[len(curve)-1].Step)
	prev := math.Inf(-1)
	for _, s := range curve[:len(curve)-1] {
		prev = math.Max(prev, float64(s.Step))
	}
	var out []int
	for k, r := range rungs {
		if prev < r && r <= last {
			out = append(out, k)
		}
	}
	return out
}

// rungs returns min·eta^k for k = 0, 1, ... below max (all up to a large
// bound when max <= 0), skipping the first skip of them.
func rungs(min, eta, max float64, skip int) []float64 {
	var out []float64
	for k := 0; k < 64; k++ {
		r := min * math.Pow(eta, float64(k))
		if max > 0 && r >= max || r > 1e15 {
			break
		}
		if k >= skip {
			out = append(out, r)
		}
	}
	return out
}

// entry is a trial at a rung: its value there and its Pareto vector.
type entry struct {
	id    int
	value float64
	vec   []float64 // nil in scalar mode or when an attribute is missing
}

// comparer orders trials at a rung: by objective 0's value in its
// direction, or by the Pareto vector (value, attributes...) when Pareto is
// set and every trial has the attributes.
type comparer struct {
	dirs   []search.Direction // of objective 0, 1, ...
	pareto []string           // the attributes of objectives 1, 2, ...
}

func newComparer(h *search.History, pareto []string) comparer {
	dirs := []search.Direction{search.Maximize}
	if len(h.Directions) > 0 {
		dirs = h.Directions
	}
	full := make([]search.Direction, 1+len(pareto))
	for i := range full {
		full[i] = search.Minimize // attributes beyond the study's directions: smaller is better
		if i < len(dirs) {
			full[i] = dirs[i]
		}
	}
	return comparer{dirs: full, pareto: pareto}
}

// entry builds the entry of trial t with value v at a rung.
func (c comparer) entry(t search.Trial, v float64) entry {
	e := entry{id: t.ID, value: v}
	if len(c.pareto) == 0 {
		return e
	}
	vec := []float64{v}
	for _, a := range c.pareto {
		x, err := strconv.ParseFloat(t.Attrs[a], 64)
		if err != nil || math.IsNaN(x) {
			return e
		}
		vec = append(vec, x)
	}
	e.vec = vec
	return e
}

// better counts the peers strictly better than e.
func (c comparer) better(e entry, peers []entry) int {
	usePareto := e.vec != nil
	for _, p := range peers {
		usePareto = usePareto && p.vec != nil
	}
	if !usePareto {
		n := 0
		for _, p := range peers {
			if c.scalarBetter(p.value, e.value) {
				n++
			}
		}
		return n
	}
	vecs := make([][]float64, 0, len(peers)+1)
	for _, p := range peers {
		vecs = append(vecs, p.vec)
	}
	vecs = append(vecs, e.vec)
	self := len(peers)
	rank, fronts := search.NonDominatedSort(vecs, c.dirs)
	crowd := make([]float64, len(vecs))
	for _, f := range fronts {
		for k, d := range search.CrowdingDistance(vecs, f) {
			crowd[f[k]] = d
		}
	}
	n := 0
	for i := range peers {
		if rank[i] < rank[self] || rank[i] == rank[self] && crowd[i] > crowd[self] {
			n++
		}
	}
	return n
}

// scalarBetter reports whether a is strictly better than b on objective 0
// (NaN is worse than anything).
func (c comparer) scalarBetter(a, b float64) bool {
	switch {
	case math.IsNaN(a):
		return false
	case math.IsNaN(b):
		return true
	case c.dirs[0] == search.Minimize:
		return a < b
	}
	return a > b
}

// peersAt returns the entries of the trials of h other than t that reached
// rung r and for which keep (nil: all) holds.
func (c comparer) peersAt(h *search.History, t search.Trial, r float64, keep func(search.Trial) bool) []entry {
	var out []entry
	for _, ts := range [][]search.Trial{h.Done, h.Running} {
		for _, p := range ts {
			if p.ID == t.ID || keep != nil && !keep(p) {
				continue
			}
			if v, ok := valueAt(p.Curve, r); ok {
				out = append(out, c.entry(p, v))
			}
		}
	}
	return out
}

// halving is the rule shared by ASHA and Hyperband: at each rung the last
// report crossed, the trial continues only if fewer than
// max(1, floor(n/eta)) of the n trials at the rung (itself included) are
// better, once n >= minTrials.
func halving(h *search.History, t search.Trial, rs []float64, eta float64, minTrials int, pareto []string, keep func(search.Trial) bool) bool {
	c := newComparer(h, pareto)
	for _, k := range crossed(t.Curve, rs) {
		v, _ := valueAt(t.Curve, rs[k])
		peers := c.peersAt(h, t, rs[k], keep)
		n := len(peers) + 1
		if n < minTrials {
			continue
		}
		quota := max(1, int(math.Floor(float64(n)/eta)))
		if c.better(c.entry(t, v), peers) >= quota {
			return true
		}
	}
	return false
}
