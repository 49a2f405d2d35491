package xla

import (
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // GoMLX ops read best unqualified.
	"github.com/gomlx/gomlx/pkg/core/tensors"

	"github.com/morphml/morphml/core/train"
)

// Network is a network built by the xla engine. Its weights, optimizer
// state, batch-norm statistics and dropout generator live on the device
// and stay there between steps: a step sends the batch (or, with
// LoadTrain, only its indices) and reads back the loss.
type Network struct {
	engine *Engine
	prog   *program
	m      *model
	stats  Stats

	lr, mom, wd *tensors.Tensor // hyperparameters, uploaded once
	step, rng   *tensors.Tensor
	params      []*tensors.Tensor
	opt         []*tensors.Tensor
	bn          []*tensors.Tensor
	saved       []*tensors.Tensor // params then bn, at the last Checkpoint
	iota        *tensors.Tensor   // 0..B-1, the indices of a TrainStep batch
	dataX       *tensors.Tensor   // the resident training data (LoadTrain)
	dataY       *tensors.Tensor
	dataN       int
	closed      bool
}

var _ train.Network = (*Network)(nil)

func newNetwork(p *program, o train.Options) (*Network, error) {
	m := p.m
	n := &Network{prog: p, m: m}
	n.stats = Stats{Key: shortKey(p.key), Lowering: m.lowering, Backend: p.be.key}
	init := m.initParams(o.Seed)
	for k, d := range init {
		n.params = append(n.params, tensors.FromFlatDataAndDimensions(d, m.params[k].shape...))
		n.stats.ParamCount += len(d)
	}
	for k := range m.nOpt() {
		s := m.params[k%len(m.params)].shape
		if m.adam {
			s = m.params[k/2].shape
		}
		n.opt = append(n.opt, tensors.FromFlatDataAndDimensions(make([]float32, prod(s)), s...))
	}
	for _, i := range m.bnNodes {
		c := m.shapes[i][0]
		ones := make([]float32, c)
		for j := range ones {
			ones[j] = 1
		}
		n.bn = append(n.bn, tensors.FromFlatDataAndDimensions(make([]float32, c), c), tensors.FromFlatDataAndDimensions(ones, c))
	}
	n.lr, n.mom, n.wd = tensors.FromScalar(float32(o.LearningRate)), tensors.FromScalar(float32(o.Momentum)), tensors.FromScalar(float32(o.WeightDecay))
	n.step = tensors.FromScalar(float32(0))
	rng, err := RNGStateFromSeed(o.Seed)
	if err != nil {
		return nil, fmt.Errorf("xla: dropout generator: %w", err)
	}
	n.rng = rng
	idx := make([]int32, m.batch)
	for i := range idx {
		idx[i] = int32(i)
	}
	n.iota = tensors.FromFlatDataAndDimensions(idx, m.batch)
	// Keep what every step reads on the device.
	for _, t := range []*tensors.Tensor{n.lr, n.mom, n.wd, n.iota} {
		if err := t.MaterializeOnDevice(p.be.b, false, 0); err != nil {
			return nil, fmt.Errorf("xla: upload: %w", err)
		}
	}
	return n, nil
}

// Batch implements train.Network.
func (n *Network) Batch() int { return n.m.batch }

// Classes implements train.Network.
func (n *Network) Classes() int { return n.m.classes }

// Stats returns what the engine measured about the network's program.
func (n *Network) Stats() Stats {
	n.prog.mu.Lock()
	defer n.prog.mu.Unlock()
	s := n.stats
	if !s.CacheHit {
		s.FirstStep, s.FirstEval = n.prog.compileTrain, n.prog.compileEval
	}
	return s
}

// guard turns a panic into an error.
func guard(what string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("xla: %s: internal error: %v\n%s", what, r, debug.Stack())
	}
}

// TrainStep implements train.Network.
func (n *Network) TrainStep(x []float32, y []int) (loss float64, err error) {
	defer guard("training step", &err)
	if n.closed {
		return 0, errors.New("xla: training step on a closed network")
	}
	size := n.m.batch * prod(n.m.a.Input)
	if len(x) != size || len(y) != n.m.batch {
		return 0, fmt.Errorf("xla: training step got %d values and %d labels, want %d and %d (batch %d)", len(x), len(y), size, n.m.batch, n.m.batch)
	}
	yl, err := n.labels(y)
	if err != nil {
		return 0, err
	}
	xt := tensors.FromFlatDataAndDimensions(x, n.m.batched(n.m.a.Input)...)
	yt := tensors.FromFlatDataAndDimensions(yl, n.m.batch)
	defer xt.FinalizeAll()
	defer yt.FinalizeAll()
	return n.run(xt, yt, n.iota)
}

// labels checks and converts labels.
func (n *Network) labels(y []int) ([]int32, error) {
	out := make([]int32, len(y))
	for i, c := range y {
		if c < 0 || c >= n.m.classes {
			return nil, fmt.Errorf("xla: label %d is %d, outside [0, %d)", i, c, n.m.classes)
		}
		out[i] = int32(c)
	}
	return out, nil
}

// LoadTrain copies a training set to the device once: x holds len(y)
// samples one after another. TrainIndices then trains on batches of it
// without copying samples. A second call replaces the data.
func (n *Network) LoadTrain(x []float32, y []int) (err error) {
	defer guard("load the training data", &err)
	size := prod(n.m.a.Input)
	if len(y) == 0 || len(x) != len(y)*size {
		return fmt.Errorf("xla: load: %d values for %d labels, want %d per sample", len(x), len(y), size)
	}
	yl, err := n.labels(y)
	if err != nil {
		return err
	}
	n.unload()
	n.dataX = tensors.FromFlatDataAndDimensions(x, append([]int{len(y)}, n.m.a.Input...)...)
	n.dataY = tensors.FromFlatDataAndDimensions(yl, len(y))
	n.dataN = len(y)
	for _, t := range []*tensors.Tensor{n.dataX, n.dataY} {
		if err := t.MaterializeOnDevice(n.prog.be.b, false, 0); err != nil {
			return fmt.Errorf("xla: load: %w", err)
		}
		t.FinalizeLocal()
	}
	return nil
}

func (n *Network) unload() {
	for _, t := range []*tensors.Tensor{n.dataX, n.dataY} {
		if t != nil {
			_ = t.FinalizeAll()
		}
	}
	n.dataX, n.dataY, n.dataN = nil, nil, 0
}

// TrainIndices runs one optimisation step on the samples of the loaded
// training set at the given indices (Batch() of them); only the indices
// travel to the device.
func (n *Network) TrainIndices(idx []int) (loss float64, err error) {
	defer guard("training step", &err)
	if n.closed {
		return 0, errors.New("xla: training step on a closed network")
	}
	if n.dataX == nil {
		return 0, errors.New("xla: TrainIndices before LoadTrain")
	}
	if len(idx) != n.m.batch {
		return 0, fmt.Errorf("xla: training step got %d indices, want %d (batch)", len(idx), n.m.batch)
	}
	ix := make([]int32, len(idx))
	for i, v := range idx {
		if v < 0 || v >= n.dataN {
			return 0, fmt.Errorf("xla: index %d is %d, outside the %d loaded samples", i, v, n.dataN)
		}
		ix[i] = int32(v)
	}
	it := tensors.FromFlatDataAndDimensions(ix, len(ix))
	defer it.FinalizeAll()
	return n.run(n.dataX, n.dataY, it)
}

// run executes one training step and swaps in the new state. State
// tensors are donated to the step (updated in place on XLA) unless a
// checkpoint holds them.
func (n *Network) run(x, y, idx *tensors.Tensor) (float64, error) {
	be := n.prog.be.b
	nState := len(n.params) + len(n.opt) + len(n.bn)
	args := make([]any, 0, inState+nState)
	args = append(args, x, y, idx, n.lr, n.mom, n.wd)
	old := make([]*tensors.Tensor, 0, 2+nState)
	old = append(old, n.step, n.rng)
	old = append(old, n.params...)
	old = append(old, n.opt...)
	old = append(old, n.bn...)
	for _, t := range old {
		if n.held(t) {
			args = append(args, t)
			continue
		}
		d, err := DonateTensorBuffer(t, be, 0)
		if err != nil {
			return 0, fmt.Errorf("xla: donate: %w", err)
		}
		args = append(args, d)
	}
	t0 := time.Now()
	outs, err := n.prog.train.Exec(args...)
	if err != nil {
		return 0, fmt.Errorf("xla: training step: %w", err)
	}
	for _, t := range old {
		if !n.held(t) {
			_ = t.FinalizeAll()
		}
	}
	lossT := outs[outLoss]
	n.step, n.rng = outs[outStep], outs[outRNG]
	k := outState
	n.params = outs[k : k+len(n.params)]
	k += len(n.params)
	n.opt = outs[k : k+len(n.opt)]
	k += len(n.opt)
	n.bn = outs[k:]
	l := tensors.ToScalar[float32](lossT)
	_ = lossT.FinalizeAll()
	n.prog.mu.Lock()
	if !n.prog.trainCompiled {
		n.prog.trainCompiled, n.prog.compileTrain = true, time.Since(t0)
	}
	n.prog.mu.Unlock()
	return float64(l), nil
}

// held reports whether the last checkpoint holds t.
func (n *Network) held(t *tensors.Tensor) bool {
	for _, s := range n.saved {
		if s == t {
			return true
		}
	}
	return false
}

// Predict implements train.Network.
func (n *Network) Predict(x []float32, count int, out []int) (err error) {
	defer guard("inference", &err)
	if n.closed {
		return errors.New("xla: inference on a closed network")
	}
	size := n.m.batch * prod(n.m.a.Input)
	if len(x) != size || count < 0 || count > n.m.batch || len(out) < count {
		return fmt.Errorf("xla: inference got %d values for %d samples (out %d), want %d values and at most %d samples", len(x), count, len(out), size, n.m.batch)
	}
	xt := tensors.FromFlatDataAndDimensions(x, n.m.batched(n.m.a.Input)...)
	defer xt.FinalizeAll()
	args := make([]any, 0, 1+len(n.params)+len(n.bn))
	args = append(args, xt)
	for _, t := range n.params {
		args = append(args, t)
	}
	for _, t := range n.bn {
		args = append(args, t)
	}
	t0 := time.Now()
	outs, err := n.prog.eval.Exec(args...)
	if err != nil {
		return fmt.Errorf("xla: inference: %w", err)
	}
	pred := tensors.MustCopyFlatData[int32](outs[0])
	_ = outs[0].FinalizeAll()
	for i := range count {
		out[i] = int(pred[i])
	}
	n.prog.mu.Lock()
	if !n.prog.evalCompiled {
		n.prog.evalCompiled, n.prog.compileEval = true, time.Since(t0)
	}
	n.prog.mu.Unlock()
	return nil
}

// Checkpoint implements train.Network: it keeps the current weights and
// batch-norm statistics (on the device, without copying: the next steps
// write new tensors instead of updating them in place).
func (n *Network) Checkpoint() {
	cur := append(append([]*tensors.Tensor(nil), n.params...), n.bn...)
	prev := n.saved
	n.saved = cur
	for _, t := range prev {
		if !n.held(t) && !n.inUse(t) {
			_ = t.FinalizeAll()
		}
	}
}

// Restore implements train.Network: back to the last checkpoint's weights
// and statistics (the optimizer state and step count go on, as in the
// gorgonia engine).
func (n *Network) Restore() {
	if n.saved == nil {
		return
	}
	np := len(n.params)
	for k, t := range n.params {
		if t != n.saved[k] {
			_ = t.FinalizeAll()
		}
	}
	for k, t := range n.bn {
		if t != n.saved[np+k] {
			_ = t.FinalizeAll()
		}
	}
	n.params = append([]*tensors.Tensor(nil), n.saved[:np]...)
	n.bn = append([]*tensors.Tensor(nil), n.saved[np:]...)
}

func (n *Network) inUse(t *tensors.Tensor) bool {
	for _, s := range n.params {
		if s == t {
			return true
		}
	}
	for _, s := range n.bn {
		if s == t {
			return true
		}
	}
	return false
}

// Weights returns a copy of the current trainable tensors, in the order of
// InitialWeights.
func (n *Network) Weights() [][]float32 {
	out := make([][]float32, len(n.params))
	for k, t := range n.params {
		out[k] = tensors.MustCopyFlatData[float32](t)
	}
	return out
}

// Close implements train.Network: it frees the device memory of the
// network (the compiled program stays in the engine's cache).
func (n *Network) Close() error {
	if n.closed {
		return nil
	}
	n.closed = true
	n.unload()
	seen := map[*tensors.Tensor]bool{}
	all := append([]*tensors.Tensor{n.lr, n.mom, n.wd, n.step, n.rng, n.iota}, n.params...)
	all = append(all, n.opt...)
	all = append(all, n.bn...)
	all = append(all, n.saved...)
	for _, t := range all {
		if t != nil && !seen[t] {
			seen[t] = true
			_ = t.FinalizeAll()
		}
	}
	n.params, n.opt, n.bn, n.saved = nil, nil, nil, nil
	if n.engine != nil {
		n.engine.release(n.prog)
	}
	return nil
}
