package tpe

import (
	"container/heap"
	"encoding/binary"
	"math"
	"sort"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Trial classes for the model.
const (
	ignored  uint8 = iota // failed (or not a point of the space): not in the model
	complete              // has a score
	pruned                // always in the bad group
)

// cache holds, for the finished trials of the last history in Done order,
// what the model needs: class, score, relaxed numeric values (and their
// sorted order per parameter) and categorical choices. A history that
// extends the cached one (same IDs and scores as a prefix) is appended;
// any other history rebuilds the cache.
type cache struct {
	ids       []int
	score     []float64
	state     []uint8
	unit      [][]float64 // [numeric param][Done index]
	order     [][]int32   // [numeric param] scored Done indices sorted by unit value (ties by index)
	choice    [][]int32   // [categorical param][Done index]
	seen      map[string]bool
	nComplete int
	nPruned   int
	// The address of h.Done[0] and the first direction of the last history
	// synced: a history whose Done starts at the same address holds the
	// same trials there (History's slices are read-only), so the cached
	// ones need no new check.
	base  *search.Trial
	minim bool
	// epoch counts the rebuilds, so that what is derived from the cache
	// (incr) knows when to start over.
	epoch int
	// top holds the best topKeep completed trials, best first (the
	// earliest on ties), kept up to date by add once topComplete made it.
	top     []scored
	topKeep int
	topOut  []int
}

// sync brings the cache up to h.Done.
func (c *cache) sync(o *Optimizer, h *search.History) {
	n := len(c.ids)
	minim := len(h.Directions) > 0 && h.Directions[0] == search.Minimize
	same := n > 0 && len(h.Done) >= n && &h.Done[0] == c.base && minim == c.minim
	if !same && (c.seen == nil || n > len(h.Done) || !c.prefixOf(o, h)) {
		c.reset(o)
		n = 0
	}
	c.base, c.minim = nil, minim
	if len(h.Done) > 0 {
		c.base = &h.Done[0]
	}
	added := len(h.Done) - n
	for _, t := range h.Done[n:] {
		c.add(o, h, t, added <= 16)
	}
	if added > 16 {
		for k := range c.order {
			c.sortOrder(k)
		}
	}
}

// prefixOf reports whether the cached trials are a prefix of h.Done.
func (c *cache) prefixOf(o *Optimizer, h *search.History) bool {
	for i, id := range c.ids {
		t := h.Done[i]
		if t.ID != id || math.Float64bits(h.Score(t)) != math.Float64bits(c.score[i]) || c.class(o, t) != c.state[i] {
			return false
		}
	}
	return true
}

func (c *cache) reset(o *Optimizer) {
	*c = cache{seen: map[string]bool{}, epoch: c.epoch + 1}
	c.unit = make([][]float64, len(o.num))
	c.order = make([][]int32, len(o.num))
	c.choice = make([][]int32, len(o.cat))
}

// class returns how the model uses t.
func (c *cache) class(o *Optimizer, t search.Trial) uint8 {
	if len(t.Params) != len(o.space.Params) {
		return ignored
	}
	switch t.State {
	case search.Complete:
		if len(t.Values) > 0 && !math.IsNaN(t.Values[0]) {
			return complete
		}
	case search.Pruned:
		return pruned
	}
	return ignored
}

// add appends a finished trial; insert keeps the orders sorted (otherwise
// the caller sorts them afterwards).
func (c *cache) add(o *Optimizer, h *search.History, t search.Trial, insert bool) {
	idx := int32(len(c.ids))
	cl := c.class(o, t)
	c.ids = append(c.ids, t.ID)
	c.score = append(c.score, h.Score(t))
	c.state = append(c.state, cl)
	switch cl {
	case complete:
		c.nComplete++
		if c.topKeep > 0 {
			c.insertTop(scored{int(idx), c.score[idx]})
		}
	case pruned:
		c.nPruned++
	}
	ok := cl != ignored
	for k, pi := range o.num {
		v := 0.5
		if ok {
			v = o.space.Params[pi].ToUnit(t.Params[pi])
		}
		c.unit[k] = append(c.unit[k], v)
		if !ok {
			continue
		}
		if !insert {
			c.order[k] = append(c.order[k], idx)
			continue
		}
		u := c.unit[k]
		ord := c.order[k]
		j := sort.Search(len(ord), func(j int) bool { return u[ord[j]] > v })
		ord = append(ord, 0)
		copy(ord[j+1:], ord[j:])
		ord[j] = idx
		c.order[k] = ord
	}
	for k, pi := range o.cat {
		v := int32(0)
		if ok {
			v = int32(t.Params[pi])
		}
		c.choice[k] = append(c.choice[k], v)
	}
	if len(t.Params) == len(o.space.Params) {
		c.seen[key(t.Params)] = true
	}
}

func (c *cache) sortOrder(k int) {
	u, ord := c.unit[k], c.order[k]
	sort.Slice(ord, func(a, b int) bool {
		if u[ord[a]] != u[ord[b]] {
			return u[ord[a]] < u[ord[b]]
		}
		return ord[a] < ord[b]
	})
}

// isSeen reports whether p is a finished or running trial's point.
func (c *cache) isSeen(p space.Point, running map[string]bool) bool {
	k := key(p)
	return c.seen[k] || running[k]
}

// topComplete returns the Done indices of the n best completed trials (the
// earliest on ties), in Done order. The list is kept from one call to the
// next (add inserts the new trials) and made again when n grows.
func (c *cache) topComplete(n int, buf *topHeap) []int {
	if n <= 0 {
		return nil
	}
	if n > c.topKeep {
		c.makeTop(n, buf)
	}
	c.topOut = c.topOut[:0]
	for _, e := range c.top[:min(n, len(c.top))] {
		c.topOut = append(c.topOut, e.i)
	}
	sort.Ints(c.topOut)
	return c.topOut
}

// makeTop finds the n best completed trials with a heap.
func (c *cache) makeTop(n int, buf *topHeap) {
	*buf = (*buf)[:0]
	hp := buf
	for i, s := range c.score {
		if c.state[i] != complete {
			continue
		}
		if hp.Len() < n {
			heap.Push(hp, scored{i, s})
		} else if s > (*hp)[0].s {
			(*hp)[0] = scored{i, s}
			heap.Fix(hp, 0)
		}
	}
	c.top = append(c.top[:0], *hp...)
	sort.Slice(c.top, func(a, b int) bool { return better(c.top[a], c.top[b]) })
	c.topKeep = n
}

// insertTop adds a completed trial, the latest, to the top list.
func (c *cache) insertTop(e scored) {
	j := sort.Search(len(c.top), func(k int) bool { return better(e, c.top[k]) })
	if j >= c.topKeep {
		return
	}
	if len(c.top) < c.topKeep {
		c.top = append(c.top, scored{})
	}
	copy(c.top[j+1:], c.top[j:])
	c.top[j] = e
}

// better orders the top list: by score, then the earliest.
func better(a, b scored) bool {
	if a.s != b.s {
		return a.s > b.s
	}
	return a.i < b.i
}

type scored struct {
	i int
	s float64
}

// topHeap is a min-heap by score, the latest index first on ties, so that
// the earliest trials win ties.
type topHeap []scored

func (h topHeap) Len() int { return len(h) }
func (h topHeap) Less(a, b int) bool {
	if h[a].s != h[b].s {
		return h[a].s < h[b].s
	}
	return h[a].i > h[b].i
}
func (h topHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *topHeap) Push(x any)   { *h = append(*h, x.(scored)) }
func (h *topHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// key is a map key for a point: the bits of its values.
func key(p space.Point) string {
	b := make([]byte, 8*len(p))
	for i, v := range p {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return string(b)
}
