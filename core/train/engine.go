package train

import (
	"fmt"
	"strings"

	"github.com/morphml/morphml/core/graph"
)

// Engine turns an architecture into a network that can be trained: the
// gorgonia engine (core/train/gorgonia) on the CPU, later others.
type Engine interface {
	// Name names the engine in logs and attributes.
	Name() string
	// Build makes a network for the architecture on inputs of the given
	// per-sample shape (which must match a.Input), with the optimizer,
	// batch size and seed of o. The network's weights are initialised from
	// o.Seed, so the same seed gives the same network.
	Build(a *graph.Arch, input graph.Shape, o Options) (Network, error)
}

// Network is a built, trainable network with a fixed batch size.
// Its methods are not safe for concurrent use; train several networks at
// once instead.
type Network interface {
	// Batch is the batch size the network was built for.
	Batch() int
	// Classes is the number of outputs of the classifier head.
	Classes() int
	// TrainStep runs one optimisation step on a batch: x holds Batch()
	// samples one after another, y their labels. It returns the batch's
	// mean loss.
	TrainStep(x []float32, y []int) (loss float64, err error)
	// Predict writes the predicted class of the first n samples of x
	// (n <= Batch(); x holds Batch() samples, the rest padding) into out.
	Predict(x []float32, n int, out []int) error
	// Checkpoint remembers the current weights (and normalisation
	// statistics); Restore goes back to the last checkpoint.
	Checkpoint()
	Restore()
	// Close releases the network's resources.
	Close() error
}

// Optimizers known to Options.Optimizer.
const (
	Adam = "adam"
	SGD  = "sgd" // with momentum
)

// Options are the training settings. The zero value of a field means its
// default (see Defaults).
type Options struct {
	Optimizer    string  // Adam (default) or SGD
	LearningRate float64 // default 1e-3 for Adam, 0.05 for SGD
	Momentum     float64 // SGD momentum, in [0, 1); 0 is plain SGD (the .morph default is 0.9)
	WeightDecay  float64 // L2 penalty added to the gradients; default 0
	BatchSize    int     // default 64
	// Epochs is the number of passes over the training split (default 10).
	Epochs int
	// Steps, when > 0, caps the total number of optimisation steps: the
	// training stops after that many batches even inside an epoch (a
	// validation pass ends the partial epoch).
	Steps int
	// Patience, when > 0, stops training after that many epochs without
	// a better validation accuracy (early stopping). The weights of the
	// best epoch are the ones tested.
	Patience int
	// Seed makes the run reproducible: weight initialisation, dropout and
	// the order of the batches.
	Seed int64
}

// WithDefaults returns o with every zero field set to its default.
func (o Options) WithDefaults() Options {
	if o.Optimizer == "" {
		o.Optimizer = Adam
	}
	o.Optimizer = strings.ToLower(o.Optimizer)
	if o.LearningRate == 0 {
		o.LearningRate = 1e-3
		if o.Optimizer == SGD {
			o.LearningRate = 0.05
		}
	}
	if o.BatchSize == 0 {
		o.BatchSize = 64
	}
	if o.Epochs == 0 {
		o.Epochs = 10
	}
	return o
}

// Validate checks the options (after WithDefaults).
func (o Options) Validate() error {
	switch {
	case o.Optimizer != Adam && o.Optimizer != SGD:
		return fmt.Errorf("training options: unknown optimizer %q (known: %s, %s)", o.Optimizer, Adam, SGD)
	case !(o.LearningRate > 0) || o.LearningRate > 10:
		return fmt.Errorf("training options: learning rate must be in (0, 10], got %g", o.LearningRate)
	case o.Momentum < 0 || o.Momentum >= 1:
		return fmt.Errorf("training options: momentum must be in [0, 1), got %g", o.Momentum)
	case o.WeightDecay < 0 || o.WeightDecay >= 1:
		return fmt.Errorf("training options: weight decay must be in [0, 1), got %g", o.WeightDecay)
	case o.BatchSize < 1 || o.BatchSize > 1<<16:
		return fmt.Errorf("training options: batch size must be in [1, 65536], got %d", o.BatchSize)
	case o.Epochs < 1:
		return fmt.Errorf("training options: epochs must be at least 1, got %d", o.Epochs)
	case o.Steps < 0:
		return fmt.Errorf("training options: steps must not be negative, got %d", o.Steps)
	case o.Patience < 0:
		return fmt.Errorf("training options: patience must not be negative, got %d", o.Patience)
	}
	return nil
}

// DataResident is a Network that can hold the whole training set on its
// device (a GPU) and train on batches named by their sample indices, so
// that no batch is copied from the host per step. The Trainer uses it when
// a network offers it and LoadTrain succeeds.
type DataResident interface {
	// LoadTrain uploads the training samples (x: len(y) samples one after
	// another) and their labels once.
	LoadTrain(x []float32, y []int) error
	// TrainIndices runs one optimisation step on the samples at idx
	// (Batch() of them) and returns the batch's mean loss.
	TrainIndices(idx []int) (loss float64, err error)
}

// QueuedSteps is a DataResident network whose steps need not hand their
// loss back: QueueIndices runs a step (and may return before it has run,
// where the engine can), and TakeLoss returns the sum of the losses of
// every step since its last call. The Trainer then reads the loss every
// LossEvery steps instead of after each, saving a copy from the device
// per step.
type QueuedSteps interface {
	DataResident
	// QueueIndices runs a step as TrainIndices does without returning
	// its loss; a failure of the step itself may show only at TakeLoss.
	QueueIndices(idx []int) error
	// TakeLoss returns the summed losses of the steps since the last
	// call, and how many there were.
	TakeLoss() (sum float64, steps int, err error)
}

// LossEvery is how many queued steps the Trainer runs between reading
// their losses (QueuedSteps).
const LossEvery = 32
