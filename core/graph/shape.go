package graph

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// NodeError reports a problem with one node of an architecture. Its message
// names the node by index, name (when set) and op, for example
//
//	node 5 "dense_2" (dense): input shape [64 7 7] is not a vector; add a flatten layer before it
type NodeError struct {
	Index int    // the node's index in Arch.Nodes
	Name  string // Node.Name, possibly empty
	Op    string // Node.Op
	Err   error  // what is wrong
}

func (e *NodeError) Error() string {
	if e.Name != "" {
		return fmt.Sprintf("node %d %q (%s): %v", e.Index, e.Name, e.Op, e.Err)
	}
	return fmt.Sprintf("node %d (%s): %v", e.Index, e.Op, e.Err)
}

func (e *NodeError) Unwrap() error { return e.Err }

// ErrTooLarge marks an architecture whose parameter or FLOP count (or a
// tensor size) does not fit in an int64.
var ErrTooLarge = errors.New("too large to count")

// Validate checks an architecture: node 0 is the only input node, every
// input index refers to an earlier node (so the graph has no cycle), every op
// is known and has the attributes it needs, and every node can take the
// shapes of its inputs (see InferShapes). The error is a *NodeError for
// problems with one node, and wraps ErrTooLarge when the parameter or FLOP
// count overflows an int64.
func Validate(a *Arch) error {
	_, err := countArch(a)
	return err
}

// InferShapes validates the architecture and returns the output shape of
// every node (without the batch dimension).
func InferShapes(a *Arch) ([]Shape, error) {
	c, err := countArch(a)
	if err != nil {
		return nil, err
	}
	return c.Shapes, nil
}

// opInfo is what the checks know about one op.
type opInfo struct {
	minIn, maxIn int // allowed number of inputs (maxIn < 0: no limit)
}

var ops = map[string]opInfo{
	OpInput:     {0, 0},
	OpConv2D:    {1, 1},
	OpMaxPool:   {1, 1},
	OpAvgPool:   {1, 1},
	OpGlobalAvg: {1, 1},
	OpBatchNorm: {1, 1},
	OpReLU:      {1, 1},
	OpGELU:      {1, 1},
	OpTanh:      {1, 1},
	OpSigmoid:   {1, 1},
	OpDropout:   {1, 1},
	OpFlatten:   {1, 1},
	OpDense:     {1, 1},
	OpAdd:       {1, -1},
	OpConcat:    {1, -1},
	OpIdentity:  {1, 1},
	OpZero:      {1, 1},
	OpOutput:    {1, 1},
}

// Ops lists the known op names in a fixed order.
func Ops() []string {
	return []string{OpInput, OpConv2D, OpMaxPool, OpAvgPool, OpGlobalAvg, OpBatchNorm,
		OpReLU, OpGELU, OpTanh, OpSigmoid, OpDropout, OpFlatten, OpDense, OpAdd,
		OpConcat, OpIdentity, OpZero, OpOutput}
}

// KnownOp reports whether op is one of the Op constants.
func KnownOp(op string) bool { _, ok := ops[op]; return ok }

// ConvGeometry returns the effective kernel, stride and padding of a conv2d
// node, with the defaults applied (stride 1, padding -1 = "same", that is
// (kernel-1)/2).
func ConvGeometry(n Node) (kernel, stride, padding int) {
	kernel = n.Attr("kernel", 0)
	stride = n.Attr("stride", 1)
	padding = n.Attr("padding", -1)
	if padding == -1 {
		padding = (kernel - 1) / 2
	}
	return kernel, stride, padding
}

// PoolGeometry returns the effective window, stride and padding of a
// maxpool or avgpool node (stride defaults to the window, padding to 0).
func PoolGeometry(n Node) (pool, stride, padding int) {
	pool = n.Attr("pool", 0)
	stride = n.Attr("stride", pool)
	padding = n.Attr("padding", 0)
	return pool, stride, padding
}

// counter accumulates int64 counts and remembers an overflow.
type counter struct {
	v        int64
	overflow bool
}

func mul(xs ...int64) (int64, bool) {
	p := int64(1)
	for _, x := range xs {
		if x < 0 {
			return 0, false
		}
		hi, lo := bits.Mul64(uint64(p), uint64(x))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, false
		}
		p = int64(lo)
	}
	return p, true
}

func (c *counter) add(xs ...int64) {
	p, ok := mul(xs...)
	if !ok || c.v > math.MaxInt64-p {
		c.overflow = true
		return
	}
	c.v += p
}

// countArch infers shapes and counts parameters and FLOPs. It is the one
// place that knows every op's shape rule.
//
// Parameter counts: conv2d kernel*kernel*Cin*filters (no bias: a
// convolution is meant to be followed by batchnorm); dense and output
// in*units + units (with bias); batchnorm 2*C (scale and shift; running
// statistics are not trainable and not counted); every other op 0.
//
// FLOP counts, for one sample's forward pass: conv2d, dense and output
// 2*MACs (bias additions not counted); maxpool and avgpool pool*pool per
// output element; globalavgpool one per input element; batchnorm two per
// element (scale and shift at inference); relu, gelu, tanh and sigmoid one
// per element; add (inputs-1) per element; input, dropout, flatten,
// identity, zero and concat none.
func countArch(a *Arch) (Counts, error) {
	var params, flops counter
	var c Counts
	shapes, err := walk(a, func(_ int, nc nodeCount) {
		params.add(nc.params)
		flops.add(nc.flops)
		if nc.overflow {
			params.overflow = true
		}
	})
	if err != nil {
		return c, err
	}
	if params.overflow || flops.overflow {
		return c, fmt.Errorf("count parameters and FLOPs: %w", ErrTooLarge)
	}
	return Counts{Params: params.v, FLOPs: flops.v, Shapes: shapes}, nil
}

// nodeCount is what walk learns about one node.
type nodeCount struct {
	out           Shape
	params, flops int64
	overflow      bool
}

// walk infers the shape of every node in order and calls fn for each. It
// stops at the first invalid node and returns the shapes inferred so far
// (nil from there on) and the error.
func walk(a *Arch, fn func(i int, nc nodeCount)) ([]Shape, error) {
	if a == nil {
		return nil, errors.New("nil architecture")
	}
	if len(a.Nodes) == 0 {
		return nil, errors.New("architecture has no nodes")
	}
	shapes := make([]Shape, len(a.Nodes))
	store := make([]int, 0, 3*len(a.Nodes)) // backs every shape
	var in []Shape
	for i := range a.Nodes {
		nc, err := inferNode(a, i, shapes, &in)
		if err != nil {
			return shapes, err
		}
		out := nc.out
		if cap(store)-len(store) < len(out) {
			store = make([]int, 0, 3*(len(a.Nodes)-i)+len(out))
		}
		store = append(store, out...)
		shapes[i] = Shape(store[len(store)-len(out) : len(store) : len(store)])
		nc.out = shapes[i]
		if fn != nil {
			fn(i, nc)
		}
	}
	return shapes, nil
}

// inferNode checks node i, whose inputs have the given shapes, and returns
// its output shape and counts. inBuf is scratch space.
func inferNode(a *Arch, i int, shapes []Shape, inBuf *[]Shape) (nodeCount, error) {
	n := a.Nodes[i]
	var params, flops counter
	fail := func(format string, args ...any) error {
		return &NodeError{Index: i, Name: n.Name, Op: n.Op, Err: fmt.Errorf(format, args...)}
	}
	info, ok := ops[n.Op]
	if !ok {
		return nodeCount{}, fail("unknown op %q", n.Op)
	}
	if i == 0 && n.Op != OpInput {
		return nodeCount{}, fail("node 0 must be the %s node", OpInput)
	}
	if i > 0 && n.Op == OpInput {
		return nodeCount{}, fail("only node 0 may be the %s node", OpInput)
	}
	if n.Op == OpOutput && i != len(a.Nodes)-1 {
		return nodeCount{}, fail("the %s node must be the last node", OpOutput)
	}
	if len(n.Inputs) < info.minIn || (info.maxIn >= 0 && len(n.Inputs) > info.maxIn) {
		switch {
		case info.maxIn == 0:
			return nodeCount{}, fail("takes no inputs, got %d", len(n.Inputs))
		case info.maxIn < 0:
			return nodeCount{}, fail("needs at least %d input, got none", info.minIn)
		default:
			return nodeCount{}, fail("takes exactly %d input, got %d", info.minIn, len(n.Inputs))
		}
	}
	in := (*inBuf)[:0]
	for k, j := range n.Inputs {
		if j < 0 || j >= i {
			if j >= i && j < len(a.Nodes) {
				return nodeCount{}, fail("input %d refers to node %d, which is not earlier (a cycle or forward reference; nodes must be in topological order)", k, j)
			}
			return nodeCount{}, fail("input %d refers to node %d, which does not exist", k, j)
		}
		in = append(in, shapes[j])
	}
	*inBuf = in
	for key, v := range n.Attrs {
		if v < 0 && !(key == "padding" && v == -1) {
			return nodeCount{}, fail("attribute %s is negative (%d)", key, v)
		}
		if v > math.MaxInt32 {
			return nodeCount{}, fail("attribute %s is too large (%d)", key, v)
		}
	}
	need := func(key string) (int, error) {
		v, ok := n.Attrs[key]
		if !ok {
			return 0, fail("missing attribute %s", key)
		}
		if v <= 0 {
			return 0, fail("attribute %s must be positive, got %d", key, v)
		}
		return v, nil
	}
	image := func() error {
		if len(in[0]) != 3 {
			return fail("input shape %v is not an image [C H W]", in[0])
		}
		return nil
	}
	var out Shape
	switch n.Op {
	case OpInput:
		if len(a.Input) == 0 {
			return nodeCount{}, fail("Arch.Input is empty")
		}
		for _, d := range a.Input {
			if d <= 0 || d > math.MaxInt32 {
				return nodeCount{}, fail("Arch.Input %v has a dimension out of range", a.Input)
			}
		}
		out = append(Shape(nil), a.Input...)
	case OpConv2D:
		if err := image(); err != nil {
			return nodeCount{}, err
		}
		f, err := need("filters")
		if err != nil {
			return nodeCount{}, err
		}
		if _, err := need("kernel"); err != nil {
			return nodeCount{}, err
		}
		k, s, p := ConvGeometry(n)
		if s <= 0 {
			return nodeCount{}, fail("attribute stride must be positive, got %d", s)
		}
		h, w, err := window(in[0], k, s, p)
		if err != nil {
			return nodeCount{}, fail("kernel %d (stride %d, padding %d) does not fit input shape %v: %v", k, s, p, in[0], err)
		}
		out = Shape{f, h, w}
		params.add(int64(k), int64(k), int64(in[0][0]), int64(f))
		flops.add(2, int64(k), int64(k), int64(in[0][0]), int64(f), int64(h), int64(w))
	case OpMaxPool, OpAvgPool:
		if err := image(); err != nil {
			return nodeCount{}, err
		}
		if _, err := need("pool"); err != nil {
			return nodeCount{}, err
		}
		k, s, p := PoolGeometry(n)
		if s <= 0 {
			return nodeCount{}, fail("attribute stride must be positive, got %d", s)
		}
		if p >= k {
			return nodeCount{}, fail("padding %d must be smaller than pool %d", p, k)
		}
		h, w, err := window(in[0], k, s, p)
		if err != nil {
			return nodeCount{}, fail("pool %d (stride %d, padding %d) does not fit input shape %v: %v", k, s, p, in[0], err)
		}
		out = Shape{in[0][0], h, w}
		flops.add(int64(k), int64(k), int64(out.Size()))
	case OpGlobalAvg:
		if err := image(); err != nil {
			return nodeCount{}, err
		}
		out = Shape{in[0][0]}
		flops.add(int64(in[0].Size()))
	case OpBatchNorm:
		out = in[0]
		params.add(2, int64(in[0][0]))
		flops.add(2, int64(in[0].Size()))
	case OpReLU, OpGELU, OpTanh, OpSigmoid:
		out = in[0]
		flops.add(int64(in[0].Size()))
	case OpDropout:
		if r := n.Attr("rate_permille", 0); r > 999 {
			return nodeCount{}, fail("attribute rate_permille must be in [0, 999], got %d", r)
		}
		out = in[0]
	case OpIdentity, OpZero:
		out = in[0]
	case OpFlatten:
		out = Shape{in[0].Size()}
	case OpDense, OpOutput:
		u, err := need("units")
		if err != nil {
			return nodeCount{}, err
		}
		if len(in[0]) != 1 {
			hint := "add a flatten layer before it"
			if len(in[0]) == 3 {
				hint = "add a flatten or globalavgpool layer before it"
			}
			return nodeCount{}, fail("input shape %v is not a vector; %s", in[0], hint)
		}
		out = Shape{u}
		params.add(int64(in[0][0]), int64(u))
		params.add(int64(u))
		flops.add(2, int64(in[0][0]), int64(u))
	case OpAdd:
		for k := 1; k < len(in); k++ {
			if !in[k].Equal(in[0]) {
				return nodeCount{}, fail("inputs have different shapes: %s; add needs equal shapes", listShapes(n.Inputs, in))
			}
		}
		out = in[0]
		flops.add(int64(len(in)-1), int64(in[0].Size()))
	case OpConcat:
		out = append(Shape(nil), in[0]...)
		for k := 1; k < len(in); k++ {
			s := in[k]
			same := len(s) == len(out)
			for d := 1; same && d < len(s); d++ {
				same = s[d] == out[d]
			}
			if !same {
				return nodeCount{}, fail("inputs cannot be joined on the channel axis: %s; concat needs equal ranks and equal H, W", listShapes(n.Inputs, in))
			}
			out[0] += s[0]
		}
	}
	if _, ok := size(out); !ok {
		return nodeCount{}, fail("output shape %v is too large", out)
	}
	return nodeCount{out: out, params: params.v, flops: flops.v, overflow: params.overflow || flops.overflow}, nil
}

// window returns the spatial output size of a kernel k with stride s and
// padding p on an image shape [C H W].
func window(in Shape, k, s, p int) (h, w int, err error) {
	h = (in[1]+2*p-k)/s + 1
	w = (in[2]+2*p-k)/s + 1
	if in[1]+2*p < k || in[2]+2*p < k || h <= 0 || w <= 0 {
		return 0, 0, errors.New("the output would be empty")
	}
	return h, w, nil
}

// size is the checked number of elements of s.
func size(s Shape) (int64, bool) {
	xs := make([]int64, len(s))
	for i, d := range s {
		xs[i] = int64(d)
	}
	return mul(xs...)
}

func listShapes(idx []int, in []Shape) string {
	s := ""
	for k := range in {
		if k > 0 {
			s += ", "
		}
		s += fmt.Sprintf("node %d %v", idx[k], in[k])
	}
	return s
}
