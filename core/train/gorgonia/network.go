package gorgonia

import (
	"fmt"
	"runtime/debug"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/morphml/morphml/core/train"
)

// network is a built architecture: one gorgonia graph, a tape machine that
// runs the forward and backward passes, a second one on the forward part
// only for inference, and a solver.
type network struct {
	g       *G.ExprGraph
	x, y    *G.Node
	logits  *G.Node
	loss    *G.Node
	xent    *xentKernel
	classes int
	batch   int
	learn   G.Nodes
	state   [][]float32 // weights and normalisation statistics, for checkpoints
	saved   [][]float32
	mode    *mode
	trainVM G.VM
	evalVM  G.VM
	solver  solver
	xv, yv  *tensor.Dense
	onehot  []float32
	closed  bool
}

var _ train.Network = (*network)(nil)

func (n *network) compile(o train.Options, threads int) error {
	grads, err := G.Grad(n.loss, n.learn...)
	if err != nil {
		return fmt.Errorf("differentiate the loss: %w", err)
	}
	roots := append(G.Nodes{n.loss}, grads...)
	n.trainVM = G.NewTapeMachine(n.g.SubgraphRoots(roots...), G.BindDualValues(n.learn...))
	n.evalVM = G.NewTapeMachine(n.g.SubgraphRoots(n.logits))
	switch o.Optimizer {
	case train.SGD:
		n.solver = newMomentum(o.LearningRate, o.WeightDecay, o.Momentum, threads)
	default:
		n.solver = newAdam(o.LearningRate, o.WeightDecay, threads)
	}
	xs := n.x.Shape().Clone()
	n.xv = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(xs...))
	n.yv = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(n.batch, n.classes))
	n.onehot = n.yv.Data().([]float32)
	if err := G.Let(n.x, n.xv); err != nil {
		return err
	}
	return G.Let(n.y, n.yv)
}

func (n *network) Batch() int   { return n.batch }
func (n *network) Classes() int { return n.classes }

// guard turns a panic into an error.
func guard(what string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("gorgonia: %s: internal error: %v\n%s", what, r, debug.Stack())
	}
}

func (n *network) TrainStep(x []float32, y []int) (loss float64, err error) {
	defer guard("training step", &err)
	if n.closed {
		return 0, fmt.Errorf("gorgonia: training step on a closed network")
	}
	xd := n.xv.Data().([]float32)
	if len(x) != len(xd) || len(y) != n.batch {
		return 0, fmt.Errorf("gorgonia: training step got %d values and %d labels, want %d and %d (batch %d)", len(x), len(y), len(xd), n.batch, n.batch)
	}
	copy(xd, x)
	clear(n.onehot)
	for i, c := range y {
		if c < 0 || c >= n.classes {
			return 0, fmt.Errorf("gorgonia: label %d of the batch is %d, outside [0, %d)", i, c, n.classes)
		}
		n.onehot[i*n.classes+c] = 1
	}
	n.mode.training = true
	defer n.trainVM.Reset()
	if err := n.trainVM.RunAll(); err != nil {
		return 0, fmt.Errorf("gorgonia: training step: %w", err)
	}
	if err := n.solver.step(n.learn); err != nil {
		return 0, fmt.Errorf("gorgonia: optimizer step: %w", err)
	}
	switch v := n.loss.Value().(type) {
	case *G.F32:
		return float64(*v), nil
	default:
		return 0, fmt.Errorf("gorgonia: the loss is a %T", v)
	}
}

func (n *network) Predict(x []float32, count int, out []int) (err error) {
	defer guard("inference", &err)
	if n.closed {
		return fmt.Errorf("gorgonia: inference on a closed network")
	}
	xd := n.xv.Data().([]float32)
	if len(x) != len(xd) || count < 0 || count > n.batch || len(out) < count {
		return fmt.Errorf("gorgonia: inference got %d values for %d samples (out %d), want %d values and at most %d samples", len(x), count, len(out), len(xd), n.batch)
	}
	copy(xd, x)
	n.mode.training = false
	defer n.evalVM.Reset()
	if err := n.evalVM.RunAll(); err != nil {
		return fmt.Errorf("gorgonia: inference: %w", err)
	}
	t, ok := n.logits.Value().(tensor.Tensor)
	if !ok {
		return fmt.Errorf("gorgonia: the logits are a %T", n.logits.Value())
	}
	scores := t.Data().([]float32)
	for i := 0; i < count; i++ {
		row := scores[i*n.classes : (i+1)*n.classes]
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		out[i] = best
	}
	return nil
}

func (n *network) Checkpoint() {
	if n.saved == nil {
		n.saved = make([][]float32, len(n.state))
		for i, s := range n.state {
			n.saved[i] = make([]float32, len(s))
		}
	}
	for i, s := range n.state {
		copy(n.saved[i], s)
	}
}

func (n *network) Restore() {
	if n.saved == nil {
		return
	}
	for i, s := range n.state {
		copy(s, n.saved[i])
	}
}

func (n *network) Close() error {
	if n.closed {
		return nil
	}
	n.closed = true
	n.trainVM.Close()
	n.evalVM.Close()
	return nil
}
