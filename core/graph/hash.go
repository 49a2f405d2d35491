package graph

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash/maphash"
	"math"
	"slices"
	"sync"
)

// Hash returns a canonical hash of an architecture (64 hex digits of a
// SHA-256) under which isomorphic architectures hash alike. Node names, the
// order in which nodes are listed, nodes that do not reach the output,
// Labels, attributes no op reads and attributes spelled out at their default
// take no part.
//
// The hash is computed bottom-up, Merkle style: every node gets a canonical
// value built from the values of its inputs, and values are hash-consed
// (each distinct value is stored once and referred to by id), so the work
// grows with the number of nodes, not with the number of paths. A value is
// a sum: a list of terms. A term is the input, a zero (with its shape), or
// an op with its effective attributes (defaults filled in, "same" padding
// resolved) applied to argument values. The final digest is the SHA-256 of
// the structure reachable from the output, each term and value written once.
//
// The rules reproduce NAS-Bench-201's own isomorphism classes exactly: the
// 6,466 classes of its 15,625 cells, which its to_unique_str(consider_zero=
// True) computes from cell strings, are the classes of Hash on the decoded
// networks (tested in core/bench against the shipped table). They are:
//
//   - identity passes its input's value through; zero gives a zero term.
//   - add sorts the values of its inputs (order below) and concatenates
//     them; an add of one input is that input's value. So add commutes, and
//     add(add(x, y), z) equals add(x, y, z) when sorting keeps x and y next
//     to each other, but an inner sum is not re-sorted into the outer one:
//     NAS-Bench-201 joins the sorted strings of a node's inputs, and which
//     cells it counts as alike depends on exactly that.
//   - zero terms are kept in sums, not dropped: x and x + zero hash
//     differently, as NAS-Bench-201 counts "none" edges.
//   - an op with inputs that are all a single zero term gives a zero term of
//     the op's output shape. This holds for every op, batchnorm (whose output
//     on zeros is its shift), sigmoid and dense included: the branch no
//     longer depends on the network's input and is taken as dead. A sum of
//     several zero terms is not a zero (as in NAS-Bench-201).
//   - concat keeps the order of its inputs.
//
// Plain algebra (zeros dropped, sums fully flattened and re-sorted, a sum of
// zeros a zero) would give 4,930 classes on NAS-Bench-201 instead of 6,466.
//
// The order used to sort an add's inputs is the structural counterpart of
// NAS-Bench-201's string order, on the primitive ops its cell operations
// expand to. Values are ordered deepest first, where a term's depth is the
// largest number of counted ops (conv2d, pools, dense, output) on a path
// from the input to it, a value's depth is that of its deepest non-zero term
// and an all-zero value counts as deepest; then term by term, a value that is
// a prefix of the other first. Terms are ordered zero < op < input; zeros by
// shape; ops by depth (deepest first), then by the values at the bottom of
// their chain of single-input ops, then by the chain's counted ops from the
// innermost out, then by all the chain's ops. This sorts a cell's input
// after everything computed from it, like NAS-Bench-201's "0", also deep in
// a network where a cell's input is itself a sum.
//
// A sum longer than 8,192 terms (it takes thousands of parallel identity
// paths to build one) is kept as a single add term of its sorted inputs
// rather than flattened, so memory stays linear in the number of nodes.
//
// Hash never fails: an architecture that Validate rejects gets the SHA-256
// of "invalid" and its JSON encoding, which no valid architecture shares.
func Hash(a *Arch) string {
	shapes, err := InferShapes(a)
	if err != nil {
		js, _ := json.Marshal(a)
		sum := sha256.Sum256(append([]byte("invalid\x00"), js...))
		return hex.EncodeToString(sum[:])
	}
	h := hashers.Get().(*hasher)
	h.reset(a, shapes)
	out := h.run()
	d := h.digest(out)
	h.reset(nil, nil)
	hashers.Put(h)
	return d
}

// maxSum is the longest sum kept flat. A longer one (it takes thousands of
// parallel identity paths to build) becomes a single add term of its sorted
// inputs, so that memory stays linear in the number of nodes.
const maxSum = 1 << 13

type termKind uint8

// The numeric order is the order of kinds in comparisons.
const (
	kZero termKind = iota
	kOp
	kInput
)

// sig is an op with its effective attributes.
type sig struct {
	op string
	a  [4]int
}

func cmpSig(x, y sig) int {
	if c := cmp.Compare(x.op, y.op); c != 0 {
		return c
	}
	for i := range x.a {
		if c := cmp.Compare(x.a[i], y.a[i]); c != 0 {
			return c
		}
	}
	return 0
}

func nodeSig(n Node) sig {
	s := sig{op: n.Op}
	switch n.Op {
	case OpConv2D:
		k, st, p := ConvGeometry(n)
		s.a = [4]int{k, n.Attr("filters", 0), st, p}
	case OpMaxPool, OpAvgPool:
		k, st, p := PoolGeometry(n)
		s.a = [4]int{k, st, p}
	case OpDense, OpOutput:
		s.a[0] = n.Attr("units", 0)
	case OpDropout:
		s.a[0] = n.Attr("rate_permille", 0)
	}
	return s
}

// counted ops set the depth used to order terms: the ops that mix
// neighbouring positions or features, not the element-wise ones.
func counted(op string) bool {
	switch op {
	case OpConv2D, OpMaxPool, OpAvgPool, OpGlobalAvg, OpDense, OpOutput:
		return true
	}
	return false
}

// A chain is a list of sigs, innermost first, stored as a linked list from
// its outermost element: chain ids index hasher.chains, -1 is the empty list.
type chainNode struct {
	parent int32
	s      sig
	n      int32 // length
}

func (h *hasher) push(c int32, s sig) int32 {
	n := int32(1)
	if c >= 0 {
		n = h.chains[c].n + 1
	}
	h.chains = append(h.chains, chainNode{parent: c, s: s, n: n})
	return int32(len(h.chains) - 1)
}

func (h *hasher) clen(c int32) int32 {
	if c < 0 {
		return 0
	}
	return h.chains[c].n
}

// cmpChain compares two chains lexicographically, innermost first, a prefix
// before its extensions.
func (h *hasher) cmpChain(x, y int32) int {
	if x == y {
		return 0
	}
	nx, ny := h.clen(x), h.clen(y)
	switch {
	case nx > ny:
		for h.clen(x) > ny {
			x = h.chains[x].parent
		}
		if c := h.cmpChain(x, y); c != 0 {
			return c
		}
		return 1
	case nx < ny:
		return -h.cmpChain(y, x)
	}
	cx, cy := &h.chains[x], &h.chains[y]
	if c := h.cmpChain(cx.parent, cy.parent); c != 0 {
		return c
	}
	return cmpSig(cx.s, cy.s)
}

type term struct {
	kind   termKind
	s      sig     // kOp: the op
	shape  Shape   // kZero, kInput
	args   []int32 // kOp: argument values
	depth  int
	base   []int32 // kOp: the values at the bottom of the chain (nil: args)
	all    int32   // kOp: chain of every op
	count  int32   // kOp: chain of the counted ops
	next   int32   // next term with the same key hash, -1 at the end
	digest int32   // position in the serialization, -1 before
}

type value struct {
	terms  []int32
	depth  int // deepest term (zeros count 0)
	order  int // depth for ordering: deepest non-zero term, MaxInt if all zero
	next   int32
	digest int32
}

// hasher holds the hash-consed terms and values of one Hash call; hashers
// are pooled, so their slices and maps are reused.
type hasher struct {
	a      *Arch
	shapes []Shape
	terms  []term
	vals   []value
	chains []chainNode
	ids    []int32 // arena for args and value terms
	tIdx   map[uint64]int32
	vIdx   map[uint64]int32
	memo   map[[2]int32]int8
	key    []byte
	val    []int32 // value of each node
	buf    []int32
	out    []byte
}

var (
	seed    = maphash.MakeSeed()
	hashers = sync.Pool{New: func() any {
		return &hasher{tIdx: map[uint64]int32{}, vIdx: map[uint64]int32{}, memo: map[[2]int32]int8{}}
	}}
)

func (h *hasher) reset(a *Arch, shapes []Shape) {
	h.a, h.shapes = a, shapes
	h.terms, h.vals, h.chains, h.ids = h.terms[:0], h.vals[:0], h.chains[:0], h.ids[:0]
	h.val, h.buf, h.out = h.val[:0], h.buf[:0], h.out[:0]
	clear(h.tIdx)
	clear(h.vIdx)
	clear(h.memo)
}

// keep copies ids into the arena and returns the stable copy.
func (h *hasher) keep(ids []int32) []int32 {
	if cap(h.ids)-len(h.ids) < len(ids) {
		h.ids = make([]int32, 0, max(4096, 2*len(ids)))
	}
	h.ids = append(h.ids, ids...)
	return h.ids[len(h.ids)-len(ids) : len(h.ids) : len(h.ids)]
}

func (h *hasher) putInt(x int) { h.key = binary.AppendVarint(h.key, int64(x)) }

// intern returns the id of the term, adding it if new.
func (h *hasher) intern(t term) int32 {
	h.key = append(h.key[:0], byte(t.kind))
	h.key = append(h.key, t.s.op...)
	h.key = append(h.key, 0)
	for _, x := range t.s.a {
		h.putInt(x)
	}
	h.putInt(len(t.shape))
	for _, x := range t.shape {
		h.putInt(x)
	}
	for _, x := range t.args {
		h.putInt(int(x))
	}
	k := maphash.Bytes(seed, h.key)
	first, ok := h.tIdx[k]
	if ok {
		for id := first; id >= 0; id = h.terms[id].next {
			o := &h.terms[id]
			if o.kind == t.kind && o.s == t.s && slices.Equal(o.shape, t.shape) && slices.Equal(o.args, t.args) {
				return id
			}
		}
		t.next = first
	} else {
		t.next = -1
	}
	id := int32(len(h.terms))
	t.digest = -1
	t.args = h.keep(t.args)
	h.terms = append(h.terms, t)
	h.tIdx[k] = id
	return id
}

// sum returns the id of the value made of these terms.
func (h *hasher) sum(terms []int32) int32 {
	h.key = h.key[:0]
	for _, t := range terms {
		h.key = binary.LittleEndian.AppendUint32(h.key, uint32(t))
	}
	k := maphash.Bytes(seed, h.key)
	first, ok := h.vIdx[k]
	next := int32(-1)
	if ok {
		for id := first; id >= 0; id = h.vals[id].next {
			if slices.Equal(h.vals[id].terms, terms) {
				return id
			}
		}
		next = first
	}
	v := value{terms: h.keep(terms), order: math.MinInt, next: next, digest: -1}
	allZero := true
	for _, id := range terms {
		t := &h.terms[id]
		v.depth = max(v.depth, t.depth)
		if t.kind != kZero {
			allZero = false
			v.order = max(v.order, t.depth)
		}
	}
	if allZero {
		v.order = math.MaxInt
	}
	id := int32(len(h.vals))
	h.vals = append(h.vals, v)
	h.vIdx[k] = id
	return id
}

func (h *hasher) single(t term) int32 {
	id := h.intern(t)
	h.buf = append(h.buf[:0], id)
	return h.sum(h.buf)
}

func (h *hasher) isZero(v int32) bool {
	ts := h.vals[v].terms
	return len(ts) == 1 && h.terms[ts[0]].kind == kZero
}

func (h *hasher) zero(s Shape) int32 { return h.single(term{kind: kZero, shape: s}) }

// run computes the value of every node and returns the output's.
func (h *hasher) run() int32 {
	for i, n := range h.a.Nodes {
		out := h.shapes[i]
		var v int32
		switch n.Op {
		case OpInput:
			v = h.single(term{kind: kInput, shape: out})
		case OpIdentity:
			v = h.val[n.Inputs[0]]
		case OpZero:
			v = h.zero(out)
		case OpAdd:
			if len(n.Inputs) == 1 {
				v = h.val[n.Inputs[0]]
				break
			}
			args := h.buf[:0]
			for _, j := range n.Inputs {
				args = append(args, h.val[j])
			}
			slices.SortStableFunc(args, h.cmpValue)
			k, total := len(args), 0
			for _, a := range args {
				total += len(h.vals[a].terms)
			}
			if total > maxSum {
				// too long to flatten: keep the sum as one term
				h.buf = args
				v = h.single(h.opTerm(sig{op: OpAdd}, args))
				break
			}
			for _, a := range args[:k] {
				args = append(args, h.vals[a].terms...)
			}
			h.buf = args
			v = h.sum(args[k:])
		default:
			args := h.buf[:0]
			zeros := true
			for _, j := range n.Inputs {
				args = append(args, h.val[j])
				zeros = zeros && h.isZero(h.val[j])
			}
			h.buf = args
			if zeros {
				v = h.zero(out)
				break
			}
			v = h.single(h.opTerm(nodeSig(n), args))
		}
		h.val = append(h.val, v)
	}
	return h.val[len(h.val)-1]
}

// opTerm builds the term of an op on args (which intern copies when the
// term is new).
func (h *hasher) opTerm(s sig, args []int32) term {
	t := term{kind: kOp, s: s, args: args, all: -1, count: -1}
	for _, v := range args {
		t.depth = max(t.depth, h.vals[v].depth)
	}
	c := counted(s.op)
	if c {
		t.depth++
	}
	if len(args) == 1 && len(h.vals[args[0]].terms) == 1 {
		if in := &h.terms[h.vals[args[0]].terms[0]]; in.kind == kOp {
			// extend the chain of single-input ops
			t.base, t.all, t.count = in.base, in.all, in.count
			if t.base == nil {
				t.base = in.args
			}
		}
	}
	t.all = h.push(t.all, s)
	if c {
		t.count = h.push(t.count, s)
	}
	return t
}

func (h *hasher) cmpValue(x, y int32) int {
	if x == y {
		return 0
	}
	vx, vy := &h.vals[x], &h.vals[y]
	if vx.order != vy.order {
		return -cmp.Compare(vx.order, vy.order)
	}
	for k := range min(len(vx.terms), len(vy.terms)) {
		if c := h.cmpTerm(vx.terms[k], vy.terms[k]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(vx.terms), len(vy.terms))
}

func (h *hasher) cmpValues(x, y []int32) int {
	for k := range min(len(x), len(y)) {
		if c := h.cmpValue(x[k], y[k]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(x), len(y))
}

func (h *hasher) cmpTerm(x, y int32) int {
	if x == y {
		return 0
	}
	if c, ok := h.memo[[2]int32{x, y}]; ok {
		return int(c)
	}
	c := h.cmpTermSlow(x, y)
	h.memo[[2]int32{x, y}] = int8(c)
	return c
}

func (h *hasher) cmpTermSlow(ix, iy int32) int {
	x, y := &h.terms[ix], &h.terms[iy]
	if x.kind != y.kind {
		return cmp.Compare(x.kind, y.kind)
	}
	switch x.kind {
	case kZero, kInput:
		return slices.Compare(x.shape, y.shape)
	}
	if x.depth != y.depth {
		return -cmp.Compare(x.depth, y.depth)
	}
	bx, by := x.base, y.base
	if bx == nil {
		bx = x.args
	}
	if by == nil {
		by = y.args
	}
	if c := h.cmpValues(bx, by); c != 0 {
		return c
	}
	if c := h.cmpChain(x.count, y.count); c != 0 {
		return c
	}
	return h.cmpChain(x.all, y.all)
}

// digest serializes the canonical structure reachable from the output value
// (children first, each term and value once, referred to by its position)
// and returns its SHA-256.
func (h *hasher) digest(out int32) string {
	w := sha256.New()
	w.Write([]byte("morphml.graph.Hash v1\x00"))
	var next int32
	h.visitValue(out, &next, w)
	var sum [sha256.Size]byte
	return hex.EncodeToString(w.Sum(sum[:0]))
}

type writer interface{ Write([]byte) (int, error) }

func (h *hasher) visitTerm(id int32, next *int32, w writer) int32 {
	if d := h.terms[id].digest; d >= 0 {
		return d
	}
	for _, v := range h.terms[id].args {
		h.visitValue(v, next, w)
	}
	t := &h.terms[id]
	b := append(h.out[:0], 'T', byte(t.kind))
	b = append(b, t.s.op...)
	b = append(b, 0)
	for _, x := range t.s.a {
		b = binary.AppendVarint(b, int64(x))
	}
	b = binary.AppendUvarint(b, uint64(len(t.shape)))
	for _, x := range t.shape {
		b = binary.AppendVarint(b, int64(x))
	}
	b = binary.AppendUvarint(b, uint64(len(t.args)))
	for _, v := range t.args {
		b = binary.AppendUvarint(b, uint64(h.vals[v].digest))
	}
	w.Write(b)
	h.out = b
	t.digest = *next
	*next++
	return t.digest
}

func (h *hasher) visitValue(id int32, next *int32, w writer) int32 {
	if d := h.vals[id].digest; d >= 0 {
		return d
	}
	for _, t := range h.vals[id].terms {
		h.visitTerm(t, next, w)
	}
	v := &h.vals[id]
	b := append(h.out[:0], 'V')
	b = binary.AppendUvarint(b, uint64(len(v.terms)))
	for _, t := range v.terms {
		b = binary.AppendUvarint(b, uint64(h.terms[t].digest))
	}
	w.Write(b)
	h.out = b
	v.digest = *next
	*next++
	return v.digest
}
