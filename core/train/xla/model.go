package xla

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // GoMLX ops read best unqualified, as in its own examples.
	"github.com/gomlx/gomlx/pkg/core/shapes"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
)

// Batch-norm settings, as the gorgonia engine's (PyTorch's defaults).
const (
	bnMomentum = 0.1
	bnEpsilon  = 1e-5
)

// Adam's fixed settings, as gorgonia's AdamSolver.
const (
	adamBeta1 = 0.9
	adamBeta2 = 0.999
	adamEps   = 1e-8
)

// param is one trainable tensor of the model.
type param struct {
	node  int
	name  string // "w", "b", "gamma" or "beta"
	shape []int
	fanIn int     // > 0: He-normal initialisation with this fan-in
	fill  float32 // the constant value otherwise
}

// model is an architecture laid out for GoMLX: the live nodes, the
// trainable tensors in the order the gorgonia engine creates (and
// initialises) them, and the batch-norm statistics. It does not depend on
// the seed or the hyperparameters, so one compiled program serves every
// network of the same architecture, shapes and optimizer.
type model struct {
	a        *graph.Arch
	shapes   []graph.Shape
	live     []bool
	batch    int
	classes  int
	adam     bool
	lowering Lowering
	params   []param
	pindex   map[int]int // node -> index of its first param
	bnNodes  []int       // batch-norm nodes; stats 2k (mean) and 2k+1 (var)
	bnIndex  map[int]int
}

// newModel checks the architecture against what the engine supports and
// lays it out.
func newModel(a *graph.Arch, input graph.Shape, o train.Options, low Lowering) (*model, error) {
	shp, err := graph.InferShapes(a)
	if err != nil {
		return nil, fmt.Errorf("xla: %w", err)
	}
	if !a.Input.Equal(input) {
		return nil, fmt.Errorf("xla: the architecture takes inputs of shape %v but the data has shape %v", a.Input, input)
	}
	out := a.Output()
	if a.Nodes[out].Op != graph.OpOutput {
		return nil, fmt.Errorf("xla: the last node is %q, want an %s node (the classifier head)", a.Nodes[out].Op, graph.OpOutput)
	}
	m := &model{a: a, shapes: shp, live: graph.LiveNodes(a), batch: o.BatchSize, adam: o.Optimizer == train.Adam,
		lowering: low, pindex: map[int]int{}, bnIndex: map[int]int{}, classes: a.Nodes[out].Attr("units", 0)}
	for i, n := range a.Nodes {
		if !m.live[i] {
			continue
		}
		add := func(name string, s []int, fanIn int, fill float32) {
			if _, ok := m.pindex[i]; !ok {
				m.pindex[i] = len(m.params)
			}
			m.params = append(m.params, param{node: i, name: name, shape: s, fanIn: fanIn, fill: fill})
		}
		switch n.Op {
		case graph.OpInput, graph.OpZero, graph.OpIdentity, graph.OpAdd, graph.OpConcat, graph.OpMaxPool, graph.OpAvgPool,
			graph.OpGlobalAvg, graph.OpReLU, graph.OpGELU, graph.OpTanh, graph.OpSigmoid, graph.OpDropout, graph.OpFlatten:
		case graph.OpConv2D:
			in := shp[n.Inputs[0]]
			k, _, _ := graph.ConvGeometry(n)
			f := n.Attr("filters", 0)
			add("w", []int{f, in[0], k, k}, in[0]*k*k, 0)
		case graph.OpBatchNorm:
			c := shp[i][0]
			add("gamma", []int{c}, 0, 1)
			add("beta", []int{c}, 0, 0)
			m.bnIndex[i] = len(m.bnNodes)
			m.bnNodes = append(m.bnNodes, i)
		case graph.OpDense, graph.OpOutput:
			fanIn, u := shp[n.Inputs[0]][0], n.Attr("units", 0)
			add("w", []int{fanIn, u}, fanIn, 0)
			add("b", []int{u}, 0, 0)
		default:
			return nil, fmt.Errorf("xla: %s: op %q is not supported by the xla engine", nodeLabel(a, i), n.Op)
		}
	}
	return m, nil
}

func nodeLabel(a *graph.Arch, i int) string {
	n := a.Nodes[i]
	if n.Name != "" {
		return fmt.Sprintf("node %d %q (%s)", i, n.Name, n.Op)
	}
	return fmt.Sprintf("node %d (%s)", i, n.Op)
}

// InitialWeights returns the initial trainable tensors of the architecture
// for a seed, flat and in creation order: for each live node in order,
// conv2d w [F,C,K,K]; batchnorm gamma [C] (ones), beta [C] (zeros); dense
// and output w [N,U], b [U] (zeros). Weights are He-normal (std
// sqrt(2/fan-in)) from the same generator, in the same order, as the
// gorgonia engine's, so both engines start from the same network.
func InitialWeights(a *graph.Arch, seed int64) ([][]float32, error) {
	m, err := newModel(a, a.Input, train.Options{BatchSize: 1, Optimizer: train.Adam}, LowerGather)
	if err != nil {
		return nil, err
	}
	return m.initParams(seed), nil
}

func (m *model) initParams(seed int64) [][]float32 {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6d6f7270686d6c)) // "morphml", as core/train/gorgonia
	out := make([][]float32, len(m.params))
	for k, p := range m.params {
		d := make([]float32, prod(p.shape))
		if p.fanIn > 0 {
			std := math.Sqrt(2 / float64(p.fanIn))
			for i := range d {
				d[i] = float32(rng.NormFloat64() * std)
			}
		} else {
			for i := range d {
				d[i] = p.fill
			}
		}
		out[k] = d
	}
	return out
}

func prod(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// key identifies the compiled program: the exact structure (ops,
// attributes, inputs; not names or labels), the input shape, the batch
// size, the optimizer and the lowering. graph.Hash leads it for logs, but
// is not enough alone: isomorphic architectures hash alike yet order their
// weights differently.
func (m *model) key() string {
	type node struct {
		Op     string         `json:"o"`
		Attrs  map[string]int `json:"a,omitempty"`
		Inputs []int          `json:"i,omitempty"`
	}
	ns := make([]node, len(m.a.Nodes))
	for i, n := range m.a.Nodes {
		ns[i] = node{n.Op, n.Attrs, n.Inputs}
	}
	b, _ := json.Marshal(struct {
		In    graph.Shape
		Nodes []node
	}{m.a.Input, ns})
	opt := "sgd"
	if m.adam {
		opt = "adam"
	}
	return fmt.Sprintf("%s|b%d|%s|%s|%s", graph.Hash(m.a), m.batch, opt, m.lowering, b)
}

// f32 is the shape of a float32 tensor.
func f32(dims ...int) shapes.Shape { return shapes.Make(dtypes.Float32, dims...) }

// batched is a per-sample shape with the batch in front.
func (m *model) batched(s graph.Shape) []int { return append([]int{m.batch}, s...) }

// pass is one run of the forward pass being built.
type pass struct {
	m        *model
	g        *Graph
	training bool
	params   []*Node
	bn       []*Node // running mean, var per batch-norm node, in and then out
	rng      *Node
	vals     []*Node // per arch node; nil for zeros
	dots     []*Node // products made by matmul, for forgetDots
}

// forward builds the logits of x [B, input...]. In training it uses the
// batch statistics, updates the running ones (p.bn) and draws dropout
// masks from p.rng (updating it).
func (p *pass) forward(x *Node) (*Node, error) {
	m := p.m
	p.vals = make([]*Node, len(m.a.Nodes))
	var err error
	for i := range m.a.Nodes {
		if !m.live[i] {
			continue
		}
		if p.vals[i], err = p.node(i, x); err != nil {
			return nil, fmt.Errorf("xla: %s: %w", nodeLabel(m.a, i), err)
		}
	}
	return p.in(len(m.a.Nodes), -1), nil
}

// in returns input k of node i (or, for k < 0, node i-1's value), making
// zeros for a zero node.
func (p *pass) in(i, k int) *Node {
	j := i - 1
	if k >= 0 {
		j = p.m.a.Nodes[i].Inputs[k]
	}
	if p.vals[j] == nil {
		p.vals[j] = Zeros(p.g, f32(p.m.batched(p.m.shapes[j])...))
	}
	return p.vals[j]
}

func (p *pass) param(i, k int) *Node { return p.params[p.m.pindex[i]+k] }

// node builds arch node i; nil means zeros.
func (p *pass) node(i int, x *Node) (*Node, error) {
	m := p.m
	n := m.a.Nodes[i]
	out := m.batched(m.shapes[i])
	switch n.Op {
	case graph.OpInput:
		return x, nil
	case graph.OpZero:
		return nil, nil
	case graph.OpIdentity:
		return p.vals[n.Inputs[0]], nil
	case graph.OpAdd:
		var sum *Node
		for _, j := range n.Inputs {
			if v := p.vals[j]; v != nil {
				if sum == nil {
					sum = v
				} else {
					sum = Add(sum, v)
				}
			}
		}
		return sum, nil
	case graph.OpConcat:
		ins := make([]*Node, len(n.Inputs))
		for k := range n.Inputs {
			ins[k] = p.in(i, k)
		}
		if len(ins) == 1 {
			return ins[0], nil
		}
		return Concatenate(ins, 1), nil
	case graph.OpConv2D:
		k, stride, pad := graph.ConvGeometry(n)
		return p.conv(p.in(i, 0), p.param(i, 0), k, stride, pad, out), nil
	case graph.OpMaxPool, graph.OpAvgPool:
		k, stride, pad := graph.PoolGeometry(n)
		return p.pool(p.in(i, 0), n.Op == graph.OpMaxPool, k, stride, pad, out), nil
	case graph.OpGlobalAvg:
		return ReduceMean(p.in(i, 0), 2, 3), nil
	case graph.OpBatchNorm:
		return p.batchNorm(i, p.in(i, 0)), nil
	case graph.OpReLU:
		v := p.in(i, 0)
		// x * [x > 0]: the gradient is exactly 0 at 0, as the gorgonia engine's.
		return Mul(v, ConvertDType(GreaterThan(v, ZerosLike(v)), dtypes.Float32)), nil
	case graph.OpGELU: // exact: x * Phi(x)
		v := p.in(i, 0)
		return Mul(MulScalar(v, 0.5), OnePlus(Erf(MulScalar(v, 1/math.Sqrt2)))), nil
	case graph.OpTanh:
		return Tanh(p.in(i, 0)), nil
	case graph.OpSigmoid:
		return Logistic(p.in(i, 0)), nil
	case graph.OpDropout:
		v := p.in(i, 0)
		rate := float64(n.Attr("rate_permille", 0)) / 1000
		if rate == 0 || !p.training {
			return v, nil
		}
		var u *Node
		p.rng, u = RandomUniform(p.rng, v.Shape())
		keep := ConvertDType(GreaterOrEqual(u, Scalar(p.g, dtypes.Float32, rate)), dtypes.Float32)
		return Mul(v, MulScalar(keep, 1/(1-rate))), nil
	case graph.OpFlatten:
		return Reshape(p.in(i, 0), out...), nil
	case graph.OpDense, graph.OpOutput:
		v := p.in(i, 0)
		w, b := p.param(i, 0), p.param(i, 1)
		y := p.matmul(v, []int{1}, w, []int{0})
		return Add(y, BroadcastToDims(InsertAxes(b, 0), y.Shape().Dimensions...)), nil
	}
	return nil, fmt.Errorf("op %q is not supported by the xla engine", n.Op)
}

// batchNorm normalises per channel: with the batch's statistics in
// training (and updates the running averages with the unbiased variance),
// with the running averages in inference.
func (p *pass) batchNorm(i int, x *Node) *Node {
	k := p.m.bnIndex[i]
	gamma, beta := p.param(i, 0), p.param(i, 1)
	axes := []int{0}
	if x.Rank() == 4 {
		axes = []int{0, 2, 3}
	}
	c := x.Shape().Dimensions[1]
	bshape := make([]int, x.Rank())
	for d := range bshape {
		bshape[d] = 1
	}
	bshape[1] = c
	full := x.Shape().Dimensions
	bc := func(v *Node) *Node { return BroadcastToDims(Reshape(v, bshape...), full...) }
	runMean, runVar := p.bn[2*k], p.bn[2*k+1]
	var mean, inv *Node
	if p.training {
		n := x.Shape().Size() / c
		mean = ReduceMean(x, axes...)
		d := Sub(x, bc(mean))
		variance := ReduceMean(Square(d), axes...)
		inv = Div(OnesLike(variance), Sqrt(AddScalar(variance, bnEpsilon))) // Rsqrt has no gradient in GoMLX
		unbiased := variance
		if n > 1 {
			unbiased = MulScalar(variance, float64(n)/float64(n-1))
		}
		p.bn[2*k] = Add(MulScalar(runMean, 1-bnMomentum), MulScalar(StopGradient(mean), bnMomentum))
		p.bn[2*k+1] = Add(MulScalar(runVar, 1-bnMomentum), MulScalar(StopGradient(unbiased), bnMomentum))
		return Add(Mul(d, bc(Mul(gamma, inv))), bc(beta))
	}
	mean, inv = runMean, Div(OnesLike(runVar), Sqrt(AddScalar(runVar, bnEpsilon)))
	return Add(Mul(Sub(x, bc(mean)), bc(Mul(gamma, inv))), bc(beta))
}

// loss is the mean softmax cross-entropy of logits [B, K] against labels
// y [B] (int32).
func loss(logits, y *Node) *Node {
	k := logits.Shape().Dimensions[1]
	mx := StopGradient(ReduceAndKeep(logits, ReduceMax, 1))
	z := Sub(logits, BroadcastToDims(mx, logits.Shape().Dimensions...))
	lse := Log(ReduceSum(Exp(z), 1))
	picked := ReduceSum(Mul(z, OneHot(y, k, dtypes.Float32)), 1)
	return ReduceAllMean(Sub(lse, picked))
}
