package train

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"strconv"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train/data"
)

// Attributes a Trainer records through AttrSetter.
const (
	AttrValAcc    = "val_acc"      // best validation accuracy, %
	AttrTestAcc   = "test_acc"     // test accuracy of the best epoch's weights, %
	AttrLoss      = "loss"         // mean training loss of the last epoch
	AttrTrainTime = "train_time_s" // seconds spent training (with the validation passes)
	AttrEngine    = "engine"       // the engine that trained it and where: "gorgonia", "xla on xla:<plugin>"
	AttrFirstStep = "first_step_s" // seconds from the start of the evaluation to its first finished training step (build, data upload, compilation)
	AttrLatency   = "latency_ms"   // inference time per sample, batched, ms
	AttrParams    = "params"       // trainable parameters
	AttrFLOPs     = "flops"        // FLOPs of one forward pass
	AttrEpochs    = "epochs"       // epochs run (fewer when stopped early)
	AttrSteps     = "steps"        // optimisation steps run
	AttrStopped   = "stopped"      // why training ended before the last epoch: "patience", "steps" or "pruned"
)

// Trainer evaluates an architecture by training it: it builds the network
// with an Engine, trains it on the training split, reports the validation
// accuracy (in %) after every epoch, and returns the best validation
// accuracy as the objective. It is safe for concurrent use: every
// evaluation builds its own network and only reads the data.
type Trainer struct {
	engine Engine
	data   *data.Split
	opts   Options
}

var _ Evaluator = (*Trainer)(nil)

// NewTrainer checks the options (zero fields take their defaults) and
// returns a trainer.
func NewTrainer(e Engine, d *data.Split, o Options) (*Trainer, error) {
	if e == nil {
		return nil, errors.New("new trainer: no engine")
	}
	if d == nil || d.Train == nil || d.Val == nil || d.Test == nil || d.Train.Len() == 0 || d.Val.Len() == 0 {
		return nil, errors.New("new trainer: the data needs non-empty training and validation sets and a test set")
	}
	o = o.WithDefaults()
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("new trainer: %w", err)
	}
	return &Trainer{engine: e, data: d, opts: o}, nil
}

// Options returns the training options with the defaults filled in.
func (t *Trainer) Options() Options { return t.opts }

// Engine describes the trainer's engine: its Name, or what its Describe
// method says (the xla engine names its device).
func (t *Trainer) Engine() string {
	if d, ok := t.engine.(interface{ Describe() string }); ok {
		return d.Describe()
	}
	return t.engine.Name()
}

// Data returns the dataset the trainer uses.
func (t *Trainer) Data() *data.Split { return t.data }

// Result is what one training run measured.
type Result struct {
	ValAcc, TestAcc float64 // %, the best epoch's
	Loss            float64 // mean training loss of the last epoch
	Epochs, Steps   int
	Curve           []float64 // validation accuracy after each epoch, %
	TrainTime       time.Duration
	FirstStep       time.Duration // from the call to Train to the end of the first training step
	LatencyMS       float64
	Params, FLOPs   int64
	Stopped         string // "", "patience", "steps" or "pruned"
}

// Evaluate implements Evaluator: it returns the best validation accuracy
// (%) as the only objective and records the Attr* facts when r is an
// AttrSetter. It stops early when r.Report returns true (a pruner said so)
// and between batches when ctx is cancelled (then with ctx's error).
func (t *Trainer) Evaluate(ctx context.Context, a *graph.Arch, r Reporter) ([]float64, error) {
	res, err := t.Train(ctx, a, r)
	if err != nil {
		return nil, err
	}
	if as, ok := r.(AttrSetter); ok {
		f := func(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
		as.SetAttr(AttrValAcc, f(res.ValAcc, 4))
		as.SetAttr(AttrTestAcc, f(res.TestAcc, 4))
		as.SetAttr(AttrLoss, f(res.Loss, 6))
		as.SetAttr(AttrTrainTime, f(res.TrainTime.Seconds(), 3))
		as.SetAttr(AttrFirstStep, f(res.FirstStep.Seconds(), 3))
		as.SetAttr(AttrEngine, t.Engine())
		as.SetAttr(AttrLatency, f(res.LatencyMS, 5))
		as.SetAttr(AttrParams, strconv.FormatInt(res.Params, 10))
		as.SetAttr(AttrFLOPs, strconv.FormatInt(res.FLOPs, 10))
		as.SetAttr(AttrEpochs, strconv.Itoa(res.Epochs))
		as.SetAttr(AttrSteps, strconv.Itoa(res.Steps))
		if res.Stopped != "" {
			as.SetAttr(AttrStopped, res.Stopped)
		}
	}
	return []float64{res.ValAcc}, nil
}

// Train trains the architecture and returns what it measured; r may be
// nil. Evaluate is Train plus the attributes.
func (t *Trainer) Train(ctx context.Context, a *graph.Arch, r Reporter) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("train: internal error: %v\n%s", p, debug.Stack())
		}
	}()
	if r == nil {
		r = NopReporter{}
	}
	called := time.Now()
	counts, err := graph.Count(a)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	d, o := t.data, t.opts
	net, err := t.engine.Build(a, d.Shape(), o)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	defer net.Close()
	if net.Classes() < d.Classes() {
		return nil, fmt.Errorf("train: the network has %d outputs but %s has %d classes", net.Classes(), d.Train.Name, d.Classes())
	}
	res = &Result{Params: counts.Params, FLOPs: counts.FLOPs, ValAcc: -1}
	bs := net.Batch()
	size := d.Shape().Size()
	x, y := make([]float32, bs*size), make([]int, bs)
	n := d.Train.Len()
	perBatch := max(1, n/bs)                                   // a last partial batch is left out; the next epoch's order differs
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 0x747261696e)) // "train"
	// A network that keeps the training set on its device (the XLA engine
	// on a GPU) gets it once and then only each batch's sample indices.
	resident, _ := net.(DataResident)
	if resident != nil && resident.LoadTrain(d.Train.X, d.Train.Y) != nil {
		resident = nil // it could not take the data: copy batches as usual
	}
	// A network that can queue steps reads its losses every LossEvery
	// steps; the first step of each epoch still waits, so that a network
	// that cannot train fails there.
	queued, _ := net.(QueuedSteps)
	if resident == nil {
		queued = nil
	}
	idx := make([]int, bs)
	start := time.Now()
	bad := 0
	for epoch := 1; epoch <= o.Epochs; epoch++ {
		perm := rng.Perm(n)
		var sum float64
		steps := 0
		for b := 0; b < perBatch; b++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			var loss float64
			switch {
			case queued != nil:
				for k := range idx {
					idx[k] = perm[(b*bs+k)%n]
				}
				err = queued.QueueIndices(idx)
				if err == nil && (b == 0 || (b+1)%LossEvery == 0) {
					err = takeLoss(queued, &sum, &steps)
				}
			case resident != nil:
				for k := range idx {
					idx[k] = perm[(b*bs+k)%n]
				}
				loss, err = resident.TrainIndices(idx)
				sum += loss
				steps++
			default:
				for k := 0; k < bs; k++ {
					i := perm[(b*bs+k)%n]
					copy(x[k*size:(k+1)*size], d.Train.Sample(i))
					y[k] = d.Train.Y[i]
				}
				loss, err = net.TrainStep(x, y)
				sum += loss
				steps++
			}
			if err != nil {
				return nil, fmt.Errorf("train: epoch %d, step %d: %w", epoch, b+1, err)
			}
			if res.Steps == 0 {
				res.FirstStep = time.Since(called)
			}
			res.Steps++
			if o.Steps > 0 && res.Steps >= o.Steps {
				break
			}
		}
		if queued != nil {
			if err := takeLoss(queued, &sum, &steps); err != nil {
				return nil, fmt.Errorf("train: epoch %d: %w", epoch, err)
			}
		}
		res.Loss = sum / float64(steps)
		res.Epochs = epoch
		acc, err := accuracy(ctx, net, d.Val, x)
		if err != nil {
			return nil, fmt.Errorf("train: epoch %d: validation: %w", epoch, err)
		}
		res.Curve = append(res.Curve, acc)
		if acc > res.ValAcc {
			res.ValAcc, bad = acc, 0
			net.Checkpoint()
		} else {
			bad++
		}
		if r.Report(epoch, acc) {
			res.Stopped = "pruned"
			break
		}
		if o.Patience > 0 && bad >= o.Patience && epoch < o.Epochs {
			res.Stopped = "patience"
			break
		}
		if o.Steps > 0 && res.Steps >= o.Steps && epoch < o.Epochs {
			res.Stopped = "steps"
			break
		}
	}
	res.TrainTime = time.Since(start)
	net.Restore()
	if res.TestAcc, err = accuracy(ctx, net, d.Test, x); err != nil {
		return nil, fmt.Errorf("train: test: %w", err)
	}
	if res.LatencyMS, err = latency(net, d.Test, x); err != nil {
		return nil, fmt.Errorf("train: latency: %w", err)
	}
	return res, nil
}

// takeLoss adds the queued steps' losses to sum and their count to steps.
func takeLoss(q QueuedSteps, sum *float64, steps *int) error {
	l, k, err := q.TakeLoss()
	*sum += l
	*steps += k
	return err
}

// accuracy is the share of d that net classifies right, in %. buf holds
// one batch.
func accuracy(ctx context.Context, net Network, d *data.Dataset, buf []float32) (float64, error) {
	bs, size := net.Batch(), d.Shape.Size()
	pred := make([]int, bs)
	right := 0
	for lo := 0; lo < d.Len(); lo += bs {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		cnt := min(bs, d.Len()-lo)
		copy(buf, d.X[lo*size:(lo+cnt)*size])
		clear(buf[cnt*size:])
		if err := net.Predict(buf, cnt, pred); err != nil {
			return 0, err
		}
		for k := 0; k < cnt; k++ {
			if pred[k] == d.Y[lo+k] {
				right++
			}
		}
	}
	if d.Len() == 0 {
		return 0, nil
	}
	return 100 * float64(right) / float64(d.Len()), nil
}

// latency measures batched inference: the median time of a few full
// batches, per sample, in ms.
func latency(net Network, d *data.Dataset, buf []float32) (float64, error) {
	bs, size := net.Batch(), d.Shape.Size()
	cnt := min(bs, d.Len())
	copy(buf, d.X[:cnt*size])
	pred := make([]int, bs)
	const reps = 5
	times := make([]time.Duration, 0, reps)
	for range reps {
		t0 := time.Now()
		if err := net.Predict(buf, bs, pred); err != nil {
			return 0, err
		}
		times = append(times, time.Since(t0))
	}
	slices.Sort(times)
	return float64(times[reps/2].Nanoseconds()) / 1e6 / float64(bs), nil
}
