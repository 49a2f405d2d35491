package search

import (
	"math"
	"sync"

	"github.com/morphml/morphml/core/space"
)

// pointIndex is the set of points a study has asked, so that History.Seen
// is a map lookup rather than a scan of every trial. It maps a hash of a
// point to the lowest trial ID with that point (and, for the rare points
// that share a hash with another, to further IDs); a hit is confirmed with
// space.Point.Equal, so the answer is exactly that of a scan. It grows as
// trials are asked and is safe for concurrent use.
type pointIndex struct {
	mu     sync.RWMutex
	points []space.Point    // by trial ID
	first  map[uint64]int   // hash -> lowest trial ID with a point of that hash
	more   map[uint64][]int // hash -> IDs of other points with that hash, ascending
}

func newPointIndex() *pointIndex {
	return &pointIndex{first: map[uint64]int{}}
}

// add records the point of trial id; trials are added in ID order.
func (x *pointIndex) add(id int, p space.Point) {
	h, ok := pointHash(p)
	x.addHashed(id, p, h, ok)
}

func (x *pointIndex) addHashed(id int, p space.Point, h uint64, ok bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.points = append(x.points, p)
	if !ok {
		return // a point with NaN equals no point
	}
	j, found := x.first[h]
	if !found {
		x.first[h] = id
		return
	}
	if x.points[j].Equal(p) {
		return
	}
	for _, j := range x.more[h] {
		if x.points[j].Equal(p) {
			return
		}
	}
	if x.more == nil {
		x.more = map[uint64][]int{}
	}
	x.more[h] = append(x.more[h], id)
}

// seen reports whether a trial with ID < n has point p.
func (x *pointIndex) seen(p space.Point, n int) bool {
	h, ok := pointHash(p)
	return x.seenHashed(p, n, h, ok)
}

func (x *pointIndex) seenHashed(p space.Point, n int, h uint64, ok bool) bool {
	if !ok {
		return false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	j, found := x.first[h]
	if !found || j >= n {
		return false
	}
	if x.points[j].Equal(p) {
		return true
	}
	for _, j := range x.more[h] {
		if j >= n {
			return false
		}
		if x.points[j].Equal(p) {
			return true
		}
	}
	return false
}

// pointHash hashes the coordinates of p so that points that are
// space.Point.Equal hash alike (-0 as 0); ok is false for a point with a NaN,
// which equals no point.
func pointHash(p space.Point) (h uint64, ok bool) {
	h = 0x9e3779b97f4a7c15 ^ uint64(len(p))
	for _, v := range p {
		if v != v {
			return 0, false
		}
		if v == 0 {
			v = 0 // -0
		}
		h = mix(h ^ math.Float64bits(v))
	}
	return h, true
}

// mix is the finalizer of splitmix64.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// historyIndex lets a History answer Seen from its study's pointIndex: the
// index stands for trials 0 .. n-1, which are exactly those of done and
// running, the slices the study built. A History whose Done or Running was
// replaced (a wrapper that adds or drops trials) no longer matches and
// scans instead.
type historyIndex struct {
	points        *pointIndex
	n             int
	done, running []Trial
}

// covers reports whether the index answers for h's trials.
func (x *historyIndex) covers(h *History) bool {
	return x.points != nil && sameSlice(h.Done, x.done) && sameSlice(h.Running, x.running)
}

// sameSlice reports whether a and b are the same slice of the same array.
func sameSlice(a, b []Trial) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
