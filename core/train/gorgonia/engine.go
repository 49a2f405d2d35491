package gorgonia

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
)

// Engine builds networks on gorgonia. The zero value is ready to use.
type Engine struct {
	// Threads is how many goroutines a network's convolutions split a
	// batch over; 0 means GOMAXPROCS. A search that trains several
	// networks at once may set 1. Results do not depend on it.
	Threads int
}

// New returns the gorgonia engine.
func New() *Engine { return &Engine{} }

var _ train.Engine = (*Engine)(nil)

// Name implements train.Engine.
func (*Engine) Name() string { return "gorgonia" }

// Build implements train.Engine: it validates the architecture, checks that
// its input shape is the data's, and builds the training and inference
// programs. A panic inside gorgonia while building comes back as an error.
func (e *Engine) Build(a *graph.Arch, input graph.Shape, o train.Options) (n train.Network, err error) {
	o = o.WithDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	shapes, err := graph.InferShapes(a)
	if err != nil {
		return nil, fmt.Errorf("gorgonia: %w", err)
	}
	if !a.Input.Equal(input) {
		return nil, fmt.Errorf("gorgonia: the architecture takes inputs of shape %v but the data has shape %v", a.Input, input)
	}
	if a.Nodes[a.Output()].Op != graph.OpOutput {
		return nil, fmt.Errorf("gorgonia: the last node is %q, want an %s node (the classifier head)", a.Nodes[a.Output()].Op, graph.OpOutput)
	}
	threads := e.Threads
	if threads <= 0 {
		threads = defaultThreads()
	}
	b := &builder{a: a, shapes: shapes, o: o, threads: threads, net: &network{batch: o.BatchSize, mode: &mode{}}}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gorgonia: building %s: internal error: %v\n%s", b.where(), r, debug.Stack())
			n = nil
		}
	}()
	if err := b.build(); err != nil {
		return nil, err
	}
	if err := b.net.compile(o, threads); err != nil {
		return nil, fmt.Errorf("gorgonia: %w", err)
	}
	return b.net, nil
}

// builder turns an Arch into a gorgonia graph.
type builder struct {
	a       *graph.Arch
	shapes  []graph.Shape
	o       train.Options
	threads int
	net     *network
	g       *G.ExprGraph
	init    *rand.Rand
	nodes   []*G.Node // per arch node; nil for a zero node
	params  []bool    // per arch node: some weight lies upstream (its gradient matters)
	cur     int       // the node being built
}

func (b *builder) where() string {
	if b.cur < 0 || b.cur >= len(b.a.Nodes) {
		return "the network"
	}
	return nodeLabel(b.a, b.cur)
}

func nodeLabel(a *graph.Arch, i int) string {
	n := a.Nodes[i]
	if n.Name != "" {
		return fmt.Sprintf("node %d %q (%s)", i, n.Name, n.Op)
	}
	return fmt.Sprintf("node %d (%s)", i, n.Op)
}

// batched is a per-sample shape with the batch in front.
func (b *builder) batched(s graph.Shape) tensor.Shape {
	return append(tensor.Shape{b.o.BatchSize}, s...)
}

func (b *builder) build() error {
	seed := uint64(b.o.Seed)
	b.init = rand.New(rand.NewPCG(seed, 0x6d6f7270686d6c)) // "morphml"
	b.g = G.NewGraph()
	b.net.g = b.g
	b.nodes = make([]*G.Node, len(b.a.Nodes))
	b.params = make([]bool, len(b.a.Nodes))
	live := graph.LiveNodes(b.a)
	for i := range b.a.Nodes {
		if !live[i] {
			continue
		}
		b.cur = i
		if err := b.node(i); err != nil {
			var ne *graph.NodeError
			if errors.As(err, &ne) {
				return fmt.Errorf("gorgonia: %w", err)
			}
			return fmt.Errorf("gorgonia: %s: %w", nodeLabel(b.a, i), err)
		}
	}
	b.cur = -1
	return nil
}

// in returns input k of node i, making zeros when it is a zero node.
func (b *builder) in(i, k int) *G.Node {
	j := b.a.Nodes[i].Inputs[k]
	if b.nodes[j] == nil {
		b.nodes[j] = b.constant(b.shapes[j], "zeros")
	}
	return b.nodes[j]
}

func (b *builder) needDX(i, k int) bool { return b.params[b.a.Nodes[i].Inputs[k]] }

// constant makes a node holding zeros that the training does not change.
func (b *builder) constant(s graph.Shape, name string) *G.Node {
	bs := b.batched(s)
	v := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(bs...))
	return G.NewTensor(b.g, tensor.Float32, bs.Dims(), G.WithShape(bs...), G.WithValue(v), G.WithName(fmt.Sprintf("%s%d", name, b.cur)))
}

// weight makes a trainable tensor filled by fill.
func (b *builder) weight(name string, s tensor.Shape, fill func(i int) float32) *G.Node {
	v := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(s...))
	d := v.Data().([]float32)
	for i := range d {
		d[i] = fill(i)
	}
	w := G.NewTensor(b.g, tensor.Float32, s.Dims(), G.WithShape(s...), G.WithValue(v), G.WithName(fmt.Sprintf("%s%d", name, b.cur)))
	b.net.learn = append(b.net.learn, w)
	b.net.state = append(b.net.state, d)
	b.params[b.cur] = true
	return w
}

// he draws He-normal weights for fanIn inputs per unit.
func (b *builder) he(fanIn int) func(int) float32 {
	std := math.Sqrt(2 / float64(fanIn))
	return func(int) float32 { return float32(b.init.NormFloat64() * std) }
}

func constFill(v float32) func(int) float32 { return func(int) float32 { return v } }

func (b *builder) label(i int) string { return nodeLabel(b.a, i) }

// node builds arch node i.
func (b *builder) node(i int) error {
	n := b.a.Nodes[i]
	out := b.shapes[i]
	for _, j := range n.Inputs {
		b.params[i] = b.params[i] || b.params[j]
	}
	var k kernel
	var ins []*G.Node
	switch n.Op {
	case graph.OpInput:
		bs := b.batched(out)
		x := G.NewTensor(b.g, tensor.Float32, bs.Dims(), G.WithShape(bs...), G.WithName("x"))
		b.nodes[i] = x
		b.net.x = x
		return nil
	case graph.OpZero:
		return nil // nil marks zeros; made on demand
	case graph.OpIdentity:
		b.nodes[i] = b.nodes[n.Inputs[0]]
		return nil
	case graph.OpAdd:
		var live []*G.Node
		var need []bool
		for k, j := range n.Inputs {
			if b.nodes[j] != nil {
				live = append(live, b.nodes[j])
				need = append(need, b.needDX(i, k))
			}
		}
		switch len(live) {
		case 0:
			return nil // a sum of zeros
		case 1:
			b.nodes[i] = live[0]
			return nil
		}
		k, ins = &addKernel{name: b.label(i), shp: b.batched(out), needDX: need}, live
	case graph.OpConcat:
		c := &concatKernel{name: b.label(i), shp: b.batched(out)}
		for k, j := range n.Inputs {
			c.sizes = append(c.sizes, b.shapes[j].Size())
			c.needDX = append(c.needDX, b.needDX(i, k))
			ins = append(ins, b.in(i, k))
		}
		k = c
	case graph.OpConv2D:
		x := b.in(i, 0)
		inS := b.shapes[n.Inputs[0]]
		kk, stride, pad := graph.ConvGeometry(n)
		f := n.Attr("filters", 0)
		w := b.weight("w", tensor.Shape{f, inS[0], kk, kk}, b.he(inS[0]*kk*kk))
		k, ins = newConv(b.label(i), b.batched(inS), f, kk, stride, pad, b.needDX(i, 0), b.threads), []*G.Node{x, w}
	case graph.OpMaxPool, graph.OpAvgPool:
		kk, stride, pad := graph.PoolGeometry(n)
		k = newPool(b.label(i), n.Op == graph.OpMaxPool, b.batched(b.shapes[n.Inputs[0]]), kk, stride, pad, b.needDX(i, 0), b.threads)
		ins = []*G.Node{b.in(i, 0)}
	case graph.OpGlobalAvg:
		inS := b.shapes[n.Inputs[0]]
		k = &gapKernel{name: b.label(i), b: b.o.BatchSize, c: inS[0], hw: inS[1] * inS[2], needDX: b.needDX(i, 0)}
		ins = []*G.Node{b.in(i, 0)}
	case graph.OpBatchNorm:
		x := b.in(i, 0)
		need := b.needDX(i, 0)
		c := out[0]
		gamma := b.weight("gamma", tensor.Shape{c}, constFill(1))
		beta := b.weight("beta", tensor.Shape{c}, constFill(0))
		bn := newBN(b.label(i), b.batched(out), b.net.mode, need, b.threads)
		b.net.state = append(b.net.state, bn.runMean, bn.runVar)
		k, ins = bn, []*G.Node{x, gamma, beta}
	case graph.OpReLU, graph.OpGELU, graph.OpTanh, graph.OpSigmoid:
		k = &actKernel{name: b.label(i), fn: n.Op, shp: b.batched(out), needDX: b.needDX(i, 0), threads: b.threads}
		ins = []*G.Node{b.in(i, 0)}
	case graph.OpDropout:
		rate := float32(n.Attr("rate_permille", 0)) / 1000
		if rate == 0 {
			b.nodes[i] = b.in(i, 0)
			return nil
		}
		rng := rand.New(rand.NewPCG(uint64(b.o.Seed), uint64(i)))
		k = &dropoutKernel{name: b.label(i), shp: b.batched(out), rate: rate, m: b.net.mode, rng: rng, needDX: b.needDX(i, 0)}
		ins = []*G.Node{b.in(i, 0)}
	case graph.OpFlatten:
		k = &reshapeKernel{name: b.label(i), shp: b.batched(out), needDX: b.needDX(i, 0)}
		ins = []*G.Node{b.in(i, 0)}
	case graph.OpDense, graph.OpOutput:
		x := b.in(i, 0)
		fanIn, u := b.shapes[n.Inputs[0]][0], n.Attr("units", 0)
		need := b.needDX(i, 0)
		w := b.weight("w", tensor.Shape{fanIn, u}, b.he(fanIn))
		bias := b.weight("b", tensor.Shape{u}, constFill(0))
		k, ins = &denseKernel{name: b.label(i), b: b.o.BatchSize, n: fanIn, u: u, needDX: need}, []*G.Node{x, w, bias}
	default:
		return fmt.Errorf("op %q is not supported by the gorgonia engine", n.Op)
	}
	v, err := apply(k, ins...)
	if err != nil {
		return err
	}
	b.nodes[i] = v
	if n.Op == graph.OpOutput {
		return b.head(i, v, n.Attr("units", 0))
	}
	return nil
}

// head adds the loss: softmax cross-entropy of the logits against one-hot
// targets.
func (b *builder) head(i int, logits *G.Node, classes int) error {
	y := G.NewMatrix(b.g, tensor.Float32, G.WithShape(b.o.BatchSize, classes), G.WithName("y"))
	xk := &xentKernel{name: b.label(i) + " loss", b: b.o.BatchSize, k: classes}
	loss, err := apply(xk, logits, y)
	if err != nil {
		return err
	}
	b.net.y, b.net.logits, b.net.loss, b.net.xent, b.net.classes = y, logits, loss, xk, classes
	return nil
}
