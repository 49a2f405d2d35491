package gorgonia

import (
	"fmt"
	"hash"
	"hash/fnv"
	"runtime/debug"
	"sync/atomic"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// kernel is one operation of the network with a hand-written forward and
// backward pass on float32 data. Gorgonia owns the graph, the symbolic
// differentiation, the tape machine and the solvers; a kernel owns the
// arithmetic. Shapes are fixed when the kernel is made (the batch size is
// part of them), so forward and backward work on flat slices.
type kernel interface {
	// label names the kernel in errors, with the architecture node it comes from.
	label() string
	// shape is the output shape; 0-d for a scalar.
	shape() tensor.Shape
	// forward computes the output from the inputs.
	forward(out []float32, in [][]float32)
	// diff says, per input, whether the kernel has a gradient for it.
	diff() []bool
	// backward writes into dst the gradient of the loss with respect to
	// input i, given the inputs, the output and the output's gradient.
	backward(i int, dst []float32, in [][]float32, out, dout []float32)
}

var opSerial atomic.Uint64

// fwdOp adapts a kernel to a gorgonia Op with symbolic differentiation.
type fwdOp struct {
	k      kernel
	id     uint64
	inDims []int
	buf    *tensor.Dense // the output, reused from step to step
}

// apply adds a kernel to the graph as a node with the given inputs.
func apply(k kernel, inputs ...*G.Node) (*G.Node, error) {
	dims := make([]int, len(inputs))
	for i, n := range inputs {
		dims[i] = n.Shape().Dims()
		if n.IsScalar() {
			dims[i] = 0
		}
	}
	op := &fwdOp{k: k, id: opSerial.Add(1), inDims: dims}
	n, err := G.ApplyOp(op, inputs...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", k.label(), err)
	}
	return n, nil
}

func typeOf(dims int, a hm.Type) hm.Type {
	if dims == 0 {
		return a
	}
	return &G.TensorType{Dims: dims, Of: a}
}

func (op *fwdOp) Arity() int { return len(op.inDims) }

func (op *fwdOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	ts := make(hm.Types, 0, len(op.inDims)+1)
	for _, d := range op.inDims {
		ts = append(ts, typeOf(d, a))
	}
	ts = append(ts, typeOf(op.k.shape().Dims(), a))
	return hm.NewFnType(ts...)
}

func (op *fwdOp) InferShape(...G.DimSizer) (tensor.Shape, error) {
	return op.k.shape().Clone(), nil
}

func (op *fwdOp) Do(inputs ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, inputs...)
}

// UsePreallocDo lets the tape machine reuse the output's memory.
func (op *fwdOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (v G.Value, err error) {
	defer recoverKernel(op.k, "forward", &err)
	in, err := floats(op.k, inputs)
	if err != nil {
		return nil, err
	}
	if op.k.shape().Dims() == 0 {
		var buf [1]float32
		op.k.forward(buf[:], in)
		return G.NewF32(buf[0]), nil
	}
	out, data := output(prealloc, &op.buf, op.k.shape())
	op.k.forward(data, in)
	return out, nil
}

func (op *fwdOp) ReturnsPtr() bool     { return false }
func (op *fwdOp) CallsExtern() bool    { return false }
func (op *fwdOp) OverwritesInput() int { return -1 }
func (op *fwdOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "morphml.%s#%d", op.k.label(), op.id)
}
func (op *fwdOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
func (op *fwdOp) String() string { return op.k.label() }

func (op *fwdOp) DiffWRT(n int) []bool { return op.k.diff() }

func (op *fwdOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	diff := op.k.diff()
	out := make(G.Nodes, len(inputs))
	args := append(append(G.Nodes{}, inputs...), output, grad)
	for i := range inputs {
		if !diff[i] {
			continue
		}
		bop := &bwdOp{fwd: op, i: i}
		n, err := G.ApplyOp(bop, args...)
		if err != nil {
			return nil, fmt.Errorf("%s: gradient of input %d: %w", op.k.label(), i, err)
		}
		out[i] = n
	}
	return out, nil
}

// bwdOp computes the gradient of a kernel's input i from the inputs, the
// output and the output's gradient.
type bwdOp struct {
	fwd *fwdOp
	i   int
	buf *tensor.Dense
}

func (op *bwdOp) Arity() int { return len(op.fwd.inDims) + 2 }

func (op *bwdOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	ts := make(hm.Types, 0, len(op.fwd.inDims)+3)
	for _, d := range op.fwd.inDims {
		ts = append(ts, typeOf(d, a))
	}
	od := op.fwd.k.shape().Dims()
	ts = append(ts, typeOf(od, a), typeOf(od, a), typeOf(op.fwd.inDims[op.i], a))
	return hm.NewFnType(ts...)
}

func (op *bwdOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s, ok := ds[op.i].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%s: input %d has no shape", op.fwd.k.label(), op.i)
	}
	return s.Clone(), nil
}

func (op *bwdOp) Do(inputs ...G.Value) (G.Value, error) {
	return op.UsePreallocDo(nil, inputs...)
}

func (op *bwdOp) UsePreallocDo(prealloc G.Value, inputs ...G.Value) (v G.Value, err error) {
	k := op.fwd.k
	defer recoverKernel(k, "backward", &err)
	all, err := floats(k, inputs)
	if err != nil {
		return nil, err
	}
	n := len(op.fwd.inDims)
	s := inputs[op.i].Shape()
	out, data := output(prealloc, &op.buf, s)
	k.backward(op.i, data, all[:n], all[n], all[n+1])
	return out, nil
}

func (op *bwdOp) ReturnsPtr() bool     { return false }
func (op *bwdOp) CallsExtern() bool    { return false }
func (op *bwdOp) OverwritesInput() int { return -1 }
func (op *bwdOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "morphml.%s#%d.grad%d", op.fwd.k.label(), op.fwd.id, op.i)
}
func (op *bwdOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}
func (op *bwdOp) String() string { return fmt.Sprintf("∂%s/∂in%d", op.fwd.k.label(), op.i) }

// floats returns the float32 data of gorgonia values (tensors or scalars).
func floats(k kernel, vs []G.Value) ([][]float32, error) {
	out := make([][]float32, len(vs))
	for i, v := range vs {
		switch x := v.(type) {
		case tensor.Tensor:
			d, ok := x.Data().([]float32)
			if !ok {
				return nil, fmt.Errorf("%s: input %d holds %T, want float32 data", k.label(), i, x.Data())
			}
			out[i] = d
		case *G.F32:
			out[i] = []float32{float32(*x)}
		default:
			return nil, fmt.Errorf("%s: input %d is a %T, want a float32 tensor", k.label(), i, v)
		}
	}
	return out, nil
}

// output returns the tensor an op writes its result into: the op's own
// buffer, made once. The tape machine's preallocated register is not used:
// it may be the memory of an input whose last use is this op, and kernels
// read their inputs while they write. Reusing the buffer from step to step
// is safe because every value of a step is computed again in the next one,
// and the machines of a network run one at a time.
func output(_ G.Value, buf **tensor.Dense, s tensor.Shape) (G.Value, []float32) {
	if *buf == nil || !(*buf).Shape().Eq(s) {
		*buf = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(s.Clone()...))
	}
	return *buf, (*buf).Data().([]float32)
}

// recoverKernel turns a panic in a kernel into an error that names it: the
// tape machine runs kernels on its own goroutine, where a panic would end
// the process.
func recoverKernel(k kernel, phase string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: %s pass: internal error: %v\n%s", k.label(), phase, r, debug.Stack())
	}
}
