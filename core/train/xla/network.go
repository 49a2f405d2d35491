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
// LoadTrain, only its indices) and reads back the loss (or, with
// QueueIndices, not even that: the losses add up on the device until
// TakeLoss).
type Network struct {
	engine *Engine
	prog   *program
	m      *model
	stats  Stats

	lr, mom, wd *tensors.Tensor // hyperparameters, uploaded once
	step, rng   *tensors.Tensor
	lossSum     *tensors.Tensor // the losses since the last TakeLoss, on the device
	lossSteps   int             // how many
	params      []*tensors.Tensor
	opt         []*tensors.Tensor
	bn          []*tensors.Tensor
	saved       []*tensors.Tensor // params then bn, at the last Checkpoint
	iota        *tensors.Tensor   // 0..B-1, the indices of a TrainStep batch
	data        *residentData     // the resident training data (LoadTrain), shared in the engine
	closed      bool
}

var (
	_ train.Network     = (*Network)(nil)
	_ train.QueuedSteps = (*Network)(nil)
)

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
	n.lossSum = tensors.FromScalar(float32(0))
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
	return n.run(xt, yt, n.iota, true)
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

// LoadTrain puts a training set on the device: x holds len(y) samples one
// after another. TrainIndices and QueueIndices then train on batches of it
// without copying samples. Networks of one engine given the same slices
// share one copy on the device, kept for the next networks (see
// Engine.KeepData): the slices must not change while the engine holds
// them. A second call replaces the data.
func (n *Network) LoadTrain(x []float32, y []int) (err error) {
	defer guard("load the training data", &err)
	size := prod(n.m.a.Input)
	if len(y) == 0 || len(x) != len(y)*size {
		return fmt.Errorf("xla: load: %d values for %d labels, want %d per sample", len(x), len(y), size)
	}
	if n.engine == nil {
		return errors.New("xla: load: the network has no engine")
	}
	d, err := n.engine.residentData(n.prog.be, n.m.a.Input, x, y)
	if err != nil {
		return err
	}
	if d.classes > n.m.classes {
		n.engine.releaseData(d)
		return fmt.Errorf("xla: load: label %d is %d, outside [0, %d)", d.firstBad(n.m.classes), y[d.firstBad(n.m.classes)], n.m.classes)
	}
	n.unload()
	n.data = d
	return nil
}

func (n *Network) unload() {
	if n.data != nil {
		n.engine.releaseData(n.data)
		n.data = nil
	}
}

// TrainIndices runs one optimisation step on the samples of the loaded
// training set at the given indices (Batch() of them); only the indices
// travel to the device. It waits for the step and returns its loss.
func (n *Network) TrainIndices(idx []int) (loss float64, err error) {
	defer guard("training step", &err)
	it, err := n.indices(idx)
	if err != nil {
		return 0, err
	}
	defer it.FinalizeAll()
	return n.run(n.data.x, n.data.y, it, true)
}

// QueueIndices implements train.QueuedSteps: TrainIndices without copying
// the step's loss to the host; it adds to the sum TakeLoss returns.
// (go-xla v0.1.4 still waits for each step to finish on the device.)
func (n *Network) QueueIndices(idx []int) (err error) {
	defer guard("training step", &err)
	it, err := n.indices(idx)
	if err != nil {
		return err
	}
	defer it.FinalizeAll()
	_, err = n.run(n.data.x, n.data.y, it, false)
	return err
}

// TakeLoss implements train.QueuedSteps: it returns the sum of the losses
// of the steps run since the last call (queued or not), read from the
// device, and their count.
func (n *Network) TakeLoss() (sum float64, steps int, err error) {
	defer guard("reading the loss", &err)
	if n.closed {
		return 0, 0, errors.New("xla: reading the loss of a closed network")
	}
	sum, steps = float64(tensors.ToScalar[float32](n.lossSum)), n.lossSteps
	_ = n.lossSum.FinalizeAll()
	n.lossSum, n.lossSteps = tensors.FromScalar(float32(0)), 0
	return sum, steps, nil
}

// indices checks a batch of sample indices and makes their tensor.
func (n *Network) indices(idx []int) (*tensors.Tensor, error) {
	if n.closed {
		return nil, errors.New("xla: training step on a closed network")
	}
	if n.data == nil {
		return nil, errors.New("xla: training on indices before LoadTrain")
	}
	if len(idx) != n.m.batch {
		return nil, fmt.Errorf("xla: training step got %d indices, want %d (batch)", len(idx), n.m.batch)
	}
	ix := make([]int32, len(idx))
	for i, v := range idx {
		if v < 0 || v >= n.data.n {
			return nil, fmt.Errorf("xla: index %d is %d, outside the %d loaded samples", i, v, n.data.n)
		}
		ix[i] = int32(v)
	}
	return tensors.FromFlatDataAndDimensions(ix, len(ix)), nil
}

// run executes one training step and swaps in the new state. State
// tensors are donated to the step (updated in place on XLA) unless a
// checkpoint holds them. With read it returns the step's loss, copied to
// the host; without, 0.
func (n *Network) run(x, y, idx *tensors.Tensor, read bool) (float64, error) {
	be := n.prog.be.b
	nState := len(n.params) + len(n.opt) + len(n.bn)
	args := make([]any, 0, inState+nState)
	args = append(args, x, y, idx, n.lr, n.mom, n.wd)
	old := make([]*tensors.Tensor, 0, 3+nState)
	old = append(old, n.step, n.rng, n.lossSum)
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
	n.step, n.rng, n.lossSum = outs[outStep], outs[outRNG], outs[outLossSum]
	n.lossSteps++
	k := outState
	n.params = outs[k : k+len(n.params)]
	k += len(n.params)
	n.opt = outs[k : k+len(n.opt)]
	k += len(n.opt)
	n.bn = outs[k:]
	var l float32
	if read {
		l = tensors.ToScalar[float32](lossT)
	}
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
	all := append([]*tensors.Tensor{n.lr, n.mom, n.wd, n.step, n.rng, n.lossSum, n.iota}, n.params...)
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
