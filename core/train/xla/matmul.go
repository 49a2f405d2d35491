package xla

import (
	"slices"
	"sync"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // GoMLX ops read best unqualified.
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// GoMLX v0.26.0 differentiates DotGeneral by broadcasting both operands to
// [batch, lhs free, rhs free, contracted] and reducing: a dense layer
// 784x128 at batch 64 materialises 6.4M products per gradient, which made
// the pure-Go backend 30x slower than a matrix product. The engine's
// products (dense layers, convolutions as im2col, pointwise convolutions)
// go through matmul, whose gradients are two more DotGenerals. GoMLX picks
// a node's gradient from graph.VJPRegistration by node type, so the
// DotGeneral entry is wrapped once: nodes that matmul made (recorded in
// dotAxes while their graph is built) get the product gradient, every
// other DotGeneral keeps GoMLX's.

// dotAxes maps a DotGeneral node made by matmul to its contracting axes.
var dotAxes sync.Map // *Node -> [2][]int

var wrapVJP sync.Once

func wrapDotGeneralVJP() {
	wrapVJP.Do(func() {
		orig := VJPRegistration[NodeTypeDotGeneral]
		VJPRegistration[NodeTypeDotGeneral] = func(node *Node, v []*Node, s shapes.Shape) []*Node {
			if ax, ok := dotAxes.Load(node); ok {
				a := ax.([2][]int)
				return matmulVJP(node, v[0], a[0], a[1])
			}
			return orig(node, v, s)
		}
	})
}

// matmul contracts lhs axes lc with rhs axes rc (no batch axes): the
// output is [lhs free axes..., rhs free axes...], in order. The pass
// remembers the node so that its graph can forget it once differentiated.
func (p *pass) matmul(lhs *Node, lc []int, rhs *Node, rc []int) *Node {
	out := DotGeneral(lhs, lc, nil, rhs, rc, nil)
	dotAxes.Store(out, [2][]int{slices.Clone(lc), slices.Clone(rc)})
	p.dots = append(p.dots, out)
	return out
}

// forgetDots drops the pass's products from dotAxes.
func (p *pass) forgetDots() {
	for _, n := range p.dots {
		dotAxes.Delete(n)
	}
	p.dots = nil
}

// free returns the axes of a rank-r operand not in contracted, in order.
func free(r int, contracted []int) []int {
	var out []int
	for a := range r {
		if !slices.Contains(contracted, a) {
			out = append(out, a)
		}
	}
	return out
}

// matmulVJP returns the gradients of out = DotGeneral(lhs, lc, rhs, rc)
// with respect to lhs and rhs, given v (the gradient of out).
func matmulVJP(out, v *Node, lc, rc []int) []*Node {
	in := out.Inputs()
	lhs, rhs := in[0], in[1]
	lf, rf := free(lhs.Rank(), lc), free(rhs.Rank(), rc)
	nlf := len(lf)
	vl := make([]int, nlf) // v's axes from lhs's free axes
	for i := range vl {
		vl[i] = i
	}
	vr := make([]int, len(rf)) // v's axes from rhs's free axes
	for i := range vr {
		vr[i] = nlf + i
	}

	// d lhs: v contracted with rhs over rhs's free axes gives
	// [lhs free..., rhs contracted axes in ascending order...].
	gl := DotGeneral(v, vr, nil, rhs, rf, nil)
	rcSorted := slices.Sorted(slices.Values(rc))
	perm := make([]int, lhs.Rank())
	for i, a := range lf {
		perm[a] = i
	}
	for k, a := range lc {
		perm[a] = nlf + slices.Index(rcSorted, rc[k])
	}
	gl = transposeTo(gl, perm)

	// d rhs: lhs contracted with v over lhs's free axes gives
	// [lhs contracted axes in ascending order..., rhs free...].
	gr := DotGeneral(lhs, lf, nil, v, vl, nil)
	lcSorted := slices.Sorted(slices.Values(lc))
	perm = make([]int, rhs.Rank())
	for k, a := range rc {
		perm[a] = slices.Index(lcSorted, lc[k])
	}
	for i, a := range rf {
		perm[a] = len(lc) + i
	}
	gr = transposeTo(gr, perm)
	return []*Node{gl, gr}
}

// transposeTo returns x with its axes reordered so that output axis a is
// x's axis perm[a]; no op when perm is the identity.
func transposeTo(x *Node, perm []int) *Node {
	for i, a := range perm {
		if i != a {
			return TransposeAllAxes(x, perm...)
		}
	}
	return x
}
