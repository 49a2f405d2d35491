package stats

import (
	"github.com/morphml/morphml/core/space"
)

// Encoding turns points of a space into feature vectors for surrogate
// models: a categorical of k choices becomes k one-hot columns, an integer
// or a float its relaxed value in [0,1] (space.Param.ToUnit, so a log scale
// stays a log scale) in one column. Parameters with a single value are left
// out. Each column belongs to a group, one per encoded parameter, so that
// the one-hot columns of a categorical can share a kernel length scale.
type Encoding struct {
	space  *space.Space
	groups []int // per column: its group
	first  []int // per parameter: its first column (-1: left out)
	params []int // per group: the parameter
}

// NewEncoding returns the encoding of sp's points.
func NewEncoding(sp *space.Space) *Encoding {
	e := &Encoding{space: sp, first: make([]int, len(sp.Params))}
	for i, p := range sp.Params {
		e.first[i] = -1
		if p.Cardinality() <= 1 {
			continue
		}
		g := len(e.params)
		e.params = append(e.params, i)
		e.first[i] = len(e.groups)
		n := 1
		if p.Kind == space.Categorical {
			n = len(p.Choices)
		}
		for range n {
			e.groups = append(e.groups, g)
		}
	}
	return e
}

// Width is the number of columns.
func (e *Encoding) Width() int { return len(e.groups) }

// Groups returns, for each column, its group: the index of the encoded
// parameter it comes from, counting only encoded parameters.
func (e *Encoding) Groups() []int { return append([]int(nil), e.groups...) }

// NumGroups is the number of encoded parameters.
func (e *Encoding) NumGroups() int { return len(e.params) }

// Param returns the index in the space of the parameter of group g.
func (e *Encoding) Param(g int) int { return e.params[g] }

// Encode writes the features of p into dst (allocated when it is too
// short) and returns it.
func (e *Encoding) Encode(p space.Point, dst []float64) []float64 {
	if cap(dst) < len(e.groups) {
		dst = make([]float64, len(e.groups))
	}
	dst = dst[:len(e.groups)]
	clear(dst)
	for _, i := range e.params {
		q := e.space.Params[i]
		c := e.first[i]
		if q.Kind == space.Categorical {
			if k := int(p[i]); k >= 0 && k < len(q.Choices) {
				dst[c+k] = 1
			}
			continue
		}
		dst[c] = q.ToUnit(p[i])
	}
	return dst
}
