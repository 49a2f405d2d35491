package stats

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/morphml/morphml/core/space"
)

// AcquisitionSearch says how MaximizeAcquisition looks for the point with
// the highest acquisition value. Zero values take the defaults.
type AcquisitionSearch struct {
	Random    int // uniformly random points scored first (default 500, negative: none)
	Starts    int // best points found so far that a local search starts from (default 5)
	Steps     int // moves per local search at most (default 10)
	Mutations int // random one-parameter mutations added to each neighbourhood (default 10)
}

func (c AcquisitionSearch) withDefaults() AcquisitionSearch {
	if c.Random == 0 {
		c.Random = 500
	}
	if c.Starts == 0 {
		c.Starts = 5
	}
	if c.Steps == 0 {
		c.Steps = 10
	}
	if c.Mutations == 0 {
		c.Mutations = 10
	}
	return c
}

// MaximizeAcquisition looks for the point of sp with the highest value of
// acq among those skip does not reject (points already asked, typically):
// it scores cfg.Random uniform points and the neighbourhoods of the given
// incumbents (space.Neighbours plus cfg.Mutations random mutations), then
// climbs from the cfg.Starts best points found, moving to the best
// neighbour while that improves. It returns false when every point it
// looked at was skipped. Ties go to the point found first; every draw
// comes from rng.
func MaximizeAcquisition(sp *space.Space, acq func(space.Point) float64, incumbents []space.Point,
	skip func(space.Point) bool, cfg AcquisitionSearch, rng *rand.Rand) (space.Point, float64, bool) {
	cfg = cfg.withDefaults()
	type scored struct {
		p space.Point
		v float64
	}
	var pool []scored
	seen := map[string]bool{}
	consider := func(p space.Point) (float64, bool) {
		k := pointKey(p)
		if seen[k] {
			return 0, false
		}
		seen[k] = true
		if skip != nil && skip(p) {
			return 0, false
		}
		v := acq(p)
		if math.IsNaN(v) {
			return 0, false
		}
		pool = append(pool, scored{p, v})
		return v, true
	}
	neighbourhood := func(p space.Point) []space.Point {
		ns := sp.Neighbours(p)
		for range cfg.Mutations {
			ns = append(ns, sp.Mutate(p, rng))
		}
		return ns
	}
	for range cfg.Random {
		consider(sp.Sample(rng))
	}
	for _, inc := range incumbents {
		for _, n := range neighbourhood(inc) {
			consider(n)
		}
	}
	if len(pool) == 0 {
		return nil, 0, false
	}
	sort.SliceStable(pool, func(a, b int) bool { return pool[a].v > pool[b].v })
	starts := append([]scored(nil), pool[:min(cfg.Starts, len(pool))]...)
	best := pool[0]
	for _, s := range starts {
		cur := s
		for range cfg.Steps {
			next := cur
			for _, n := range neighbourhood(cur.p) {
				if v, ok := consider(n); ok && v > next.v {
					next = scored{n, v}
				}
			}
			if next.v <= cur.v {
				break
			}
			cur = next
		}
		if cur.v > best.v {
			best = cur
		}
	}
	return best.p, best.v, true
}

// pointKey is a map key for a point: the bits of its values.
func pointKey(p space.Point) string {
	b := make([]byte, 8*len(p))
	for i, v := range p {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return string(b)
}
