package graph

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
)

// ErrNoMutation is returned by Mutate when no mutation of the architecture
// validates, and by Crossover when the parents have no compatible cut.
var ErrNoMutation = errors.New("no valid variation")

// MutationLabel is the key of Arch.Labels under which Mutate and Crossover
// describe how a child was made.
const MutationLabel = "mutation"

// A mutation is one candidate change of an architecture.
type mutation struct {
	kind  string // "attr", "insert", "remove"
	node  int
	attr  string // attr: the attribute
	value int    // attr: its new value
	op    string // insert: the op to insert
	attrs map[string]int
}

func (m mutation) String() string {
	switch m.kind {
	case "attr":
		return fmt.Sprintf("set %s=%d on node %d", m.attr, m.value, m.node)
	case "insert":
		return fmt.Sprintf("insert %s after node %d", m.op, m.node)
	}
	return fmt.Sprintf("remove node %d", m.node)
}

// Mutate returns a changed copy of a valid architecture, in the spirit of
// network morphism: one of
//
//   - an attribute moved to a neighbouring value (conv2d filters halved or
//     doubled, kernel -2/+2, stride 1<->2; pool window -1/+1; dense units
//     halved or doubled; dropout rate -100/+100 per mille);
//   - a layer inserted after a node that keeps its shape and can start out
//     as (close to) the identity: relu, batchnorm, a same-padded 3x3 conv2d
//     with as many filters as channels (images) or a dense layer with as
//     many units as inputs (vectors);
//   - a single-input layer removed whose output shape equals its input's
//     (its consumers then read its input).
//
// The kind is drawn uniformly among those with candidates, then the
// candidate; a candidate whose result does not validate is dropped and
// another drawn. The input and output nodes are never removed, the output's
// units never changed. The child's Labels hold only MutationLabel, since
// labels such as "nb201" describe the parent. Mutate is deterministic for a
// given rng state.
func Mutate(a *Arch, rng *rand.Rand) (*Arch, error) {
	shapes, err := InferShapes(a)
	if err != nil {
		return nil, fmt.Errorf("mutate: %w", err)
	}
	byKind := map[string][]mutation{}
	kinds := []string{"attr", "insert", "remove"}
	for _, m := range candidates(a, shapes) {
		byKind[m.kind] = append(byKind[m.kind], m)
	}
	for {
		var live []string
		for _, k := range kinds {
			if len(byKind[k]) > 0 {
				live = append(live, k)
			}
		}
		if len(live) == 0 {
			return nil, fmt.Errorf("mutate: %w", ErrNoMutation)
		}
		k := live[rng.IntN(len(live))]
		list := byKind[k]
		i := rng.IntN(len(list))
		m := list[i]
		byKind[k] = append(list[:i:i], list[i+1:]...)
		child := apply(a, m)
		if Validate(child) == nil {
			child.Labels = map[string]string{MutationLabel: m.String()}
			return child, nil
		}
	}
}

// candidates lists every mutation of a, in a fixed order.
func candidates(a *Arch, shapes []Shape) []mutation {
	var out []mutation
	last := len(a.Nodes) - 1
	for i, n := range a.Nodes {
		set := func(attr string, vals ...int) {
			for _, v := range vals {
				if v >= 1 && v != n.Attr(attr, 0) {
					out = append(out, mutation{kind: "attr", node: i, attr: attr, value: v})
				}
			}
		}
		switch n.Op {
		case OpConv2D:
			f, k := n.Attr("filters", 0), n.Attr("kernel", 0)
			set("filters", f/2, 2*f)
			set("kernel", k-2, k+2)
			set("stride", 3-min(max(n.Attr("stride", 1), 1), 2))
		case OpMaxPool, OpAvgPool:
			p := n.Attr("pool", 0)
			set("pool", p-1, p+1)
		case OpDense:
			u := n.Attr("units", 0)
			set("units", u/2, 2*u)
		case OpDropout:
			r := n.Attr("rate_permille", 0)
			for _, v := range []int{r - 100, r + 100} {
				if v >= 0 && v <= 999 {
					out = append(out, mutation{kind: "attr", node: i, attr: "rate_permille", value: v})
				}
			}
		}
		if i != last {
			out = append(out, mutation{kind: "insert", node: i, op: OpReLU},
				mutation{kind: "insert", node: i, op: OpBatchNorm})
			switch s := shapes[i]; len(s) {
			case 3:
				out = append(out, mutation{kind: "insert", node: i, op: OpConv2D,
					attrs: map[string]int{"filters": s[0], "kernel": 3, "stride": 1, "padding": -1}})
			case 1:
				out = append(out, mutation{kind: "insert", node: i, op: OpDense, attrs: map[string]int{"units": s[0]}})
			}
		}
		if i != 0 && i != last && len(n.Inputs) == 1 && shapes[n.Inputs[0]].Equal(shapes[i]) {
			out = append(out, mutation{kind: "remove", node: i})
		}
	}
	return out
}

// apply returns a copy of a with m applied (not validated).
func apply(a *Arch, m mutation) *Arch {
	b := a.Clone()
	switch m.kind {
	case "attr":
		n := &b.Nodes[m.node]
		if n.Attrs == nil {
			n.Attrs = map[string]int{}
		}
		n.Attrs[m.attr] = m.value
	case "insert":
		b = insertAfter(b, m.node, Node{Op: m.op, Name: uniqueName(b, m.op), Attrs: m.attrs})
	case "remove":
		b = remove(b, m.node)
	}
	return b
}

// insertAfter places n (which reads node i) at index i+1 and makes the later
// readers of i read n instead. a is modified.
func insertAfter(a *Arch, i int, n Node) *Arch {
	n.Inputs = []int{i}
	nodes := make([]Node, 0, len(a.Nodes)+1)
	nodes = append(nodes, a.Nodes[:i+1]...)
	nodes = append(nodes, n)
	for _, m := range a.Nodes[i+1:] {
		for k, j := range m.Inputs {
			switch {
			case j == i:
				m.Inputs[k] = i + 1
			case j > i:
				m.Inputs[k] = j + 1
			}
		}
		nodes = append(nodes, m)
	}
	a.Nodes = nodes
	return a
}

// remove deletes node r, whose readers then read r's input. a is modified.
func remove(a *Arch, r int) *Arch {
	src := a.Nodes[r].Inputs[0]
	nodes := append(a.Nodes[:r:r], a.Nodes[r+1:]...)
	for _, m := range nodes[r:] {
		for k, j := range m.Inputs {
			switch {
			case j == r:
				m.Inputs[k] = src
			case j > r:
				m.Inputs[k] = j - 1
			}
		}
	}
	a.Nodes = nodes
	return a
}

// uniqueName returns op_N with the smallest N >= 1 that no node uses.
func uniqueName(a *Arch, op string) string {
	used := map[string]bool{}
	for _, n := range a.Nodes {
		used[n.Name] = true
	}
	for k := 1; ; k++ {
		if s := op + "_" + strconv.Itoa(k); !used[s] {
			return s
		}
	}
}

// IsChain reports whether every node after the input reads exactly the node
// before it.
func IsChain(a *Arch) bool {
	for i, n := range a.Nodes {
		if i > 0 && (len(n.Inputs) != 1 || n.Inputs[0] != i-1) {
			return false
		}
	}
	return len(a.Nodes) > 0
}

// Crossover is one-point crossover of two valid chain architectures (see
// IsChain): the child is a's nodes up to and including a cut node i, then
// b's nodes after a cut node j, where node i of a and node j of b have the
// same output shape, so b's tail fits. The cut pair is drawn uniformly among
// the compatible pairs; a child that does not validate or that is a copy of
// a parent (the same Hash) is dropped and another pair drawn. The child's
// Labels hold only MutationLabel. Crossover is
// deterministic for a given rng state.
func Crossover(a, b *Arch, rng *rand.Rand) (*Arch, error) {
	sa, err := InferShapes(a)
	if err != nil {
		return nil, fmt.Errorf("crossover: first parent: %w", err)
	}
	sb, err := InferShapes(b)
	if err != nil {
		return nil, fmt.Errorf("crossover: second parent: %w", err)
	}
	for k, x := range []*Arch{a, b} {
		if !IsChain(x) {
			return nil, fmt.Errorf("crossover: parent %d is not a chain (every node must read only the node before it)", k+1)
		}
	}
	ha, hb := Hash(a), Hash(b)
	type cut struct{ i, j int }
	var cuts []cut
	for i := range len(a.Nodes) - 1 {
		for j := range len(b.Nodes) - 1 {
			if sa[i].Equal(sb[j]) {
				cuts = append(cuts, cut{i, j})
			}
		}
	}
	for len(cuts) > 0 {
		k := rng.IntN(len(cuts))
		c := cuts[k]
		cuts = append(cuts[:k:k], cuts[k+1:]...)
		child := &Arch{Input: append(Shape(nil), a.Input...)}
		for _, n := range a.Nodes[:c.i+1] {
			child.Nodes = append(child.Nodes, n.clone())
		}
		for _, n := range b.Nodes[c.j+1:] {
			n = n.clone()
			n.Inputs = []int{len(child.Nodes) - 1}
			child.Nodes = append(child.Nodes, n)
		}
		if Validate(child) == nil {
			if h := Hash(child); h == ha || h == hb {
				continue
			}
			child.Labels = map[string]string{MutationLabel: fmt.Sprintf("crossover: nodes 0..%d of the first parent, %d.. of the second", c.i, c.j+1)}
			return child, nil
		}
	}
	return nil, fmt.Errorf("crossover: %w: no compatible cut", ErrNoMutation)
}
