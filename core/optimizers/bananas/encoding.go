package bananas

import (
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/stats"
)

// maxPathFeatures bounds the path encoding: beyond it, op sequences are
// hashed into this many features.
const maxPathFeatures = 4096

// Encoding is the feature vector BANANAS's predictor reads. For a cell space
// (parameters named space.EdgeName(i, j), one per edge j -> i of a DAG whose
// node 0 is the input and whose last node is the output) it is the path
// encoding of White et al.: one binary feature per sequence of operations,
// set when some input-to-output path of the cell carries exactly those
// operations in that order. Edges whose operation is "none" carry nothing
// and cut the paths through them. Other parameters of the space, and spaces
// without cell edges, are encoded as stats.Encoding does (one-hot
// categoricals, relaxed numbers), after the path features.
type Encoding struct {
	nodes  int
	edges  []edge          // the cell's edges
	ops    []string        // the operations that paths carry, in order of first appearance
	opIdx  map[string]int  // their indices
	offset []int           // per path length L >= 1: the first feature of sequences of length L
	paths  int             // path features
	hashed bool            // sequences hashed into maxPathFeatures
	rest   *stats.Encoding // the other parameters
	restSp *space.Space
	restOf []int // per parameter of restSp: its index in the space
}

// edge is a cell edge from node j to node i (j < i), chosen by parameter
// param whose choices are ops.
type edge struct {
	param, from, to int
	ops             []int // per choice: the index in Encoding.ops, -1 for none
}

// NewEncoding returns the encoding of sp's points: path features for its
// cell edges (if any) and stats.Encoding for the rest.
func NewEncoding(sp *space.Space) *Encoding {
	e := &Encoding{opIdx: map[string]int{}, restSp: &space.Space{Name: sp.Name}}
	for i, p := range sp.Params {
		var to, from int
		if p.Kind == space.Categorical && p.Cardinality() > 1 {
			if n, err := fmt.Sscanf(p.Name, "edge_%d_%d", &to, &from); err == nil && n == 2 && from < to && space.EdgeName(to, from) == p.Name {
				ed := edge{param: i, from: from, to: to}
				for _, op := range p.Choices {
					if op == space.CellNone {
						ed.ops = append(ed.ops, -1)
						continue
					}
					k, ok := e.opIdx[op]
					if !ok {
						k = len(e.ops)
						e.opIdx[op] = k
						e.ops = append(e.ops, op)
					}
					ed.ops = append(ed.ops, k)
				}
				e.edges = append(e.edges, ed)
				e.nodes = max(e.nodes, to+1)
				continue
			}
		}
		e.restSp.Params = append(e.restSp.Params, p)
		e.restOf = append(e.restOf, i)
	}
	if len(e.edges) > 0 {
		k := len(e.ops)
		size, pow := 0, 1
		for l := 1; l < e.nodes; l++ {
			pow *= k
			e.offset = append(e.offset, size)
			size += pow
			if size > maxPathFeatures || pow > maxPathFeatures {
				e.hashed = true
				size = maxPathFeatures
				break
			}
		}
		e.paths = size
	}
	e.rest = stats.NewEncoding(e.restSp)
	return e
}

// Width is the number of features.
func (e *Encoding) Width() int { return e.paths + e.rest.Width() }

// PathFeatures is the number of path features (0 for a space without cell
// edges).
func (e *Encoding) PathFeatures() int { return e.paths }

// Encode returns the features of p.
func (e *Encoding) Encode(p space.Point) []float64 {
	x := make([]float64, e.Width())
	if e.paths > 0 {
		e.walk(p, 0, nil, func(seq []int) { x[e.feature(seq)] = 1 })
	}
	if e.rest.Width() > 0 {
		sub := make(space.Point, len(e.restOf))
		for k, i := range e.restOf {
			sub[k] = p[i]
		}
		copy(x[e.paths:], e.rest.Encode(sub, nil))
	}
	return x
}

// walk calls visit with the operations of every path from node to the
// output.
func (e *Encoding) walk(p space.Point, node int, seq []int, visit func([]int)) {
	if node == e.nodes-1 && len(seq) > 0 {
		visit(seq)
		return
	}
	for _, ed := range e.edges {
		if ed.from != node {
			continue
		}
		c := int(p[ed.param])
		if c < 0 || c >= len(ed.ops) || ed.ops[c] < 0 {
			continue
		}
		e.walk(p, ed.to, append(slices.Clip(seq), ed.ops[c]), visit)
	}
}

// feature is the index of an operation sequence.
func (e *Encoding) feature(seq []int) int {
	if e.hashed {
		h := fnv.New32a()
		for _, o := range seq {
			h.Write([]byte{byte(o), byte(o >> 8)})
		}
		h.Write([]byte{byte(len(seq))})
		return int(h.Sum32() % maxPathFeatures)
	}
	k := 0
	for _, o := range seq {
		k = k*len(e.ops) + o
	}
	return e.offset[len(seq)-1] + k
}
