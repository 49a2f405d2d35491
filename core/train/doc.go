// Package train evaluates architectures by training them. It defines the
// Evaluator that turns a graph.Arch into objective values and the Reporter
// through which an evaluation reports intermediate values and learns that
// it should stop; trainers (CPU, GPU), tabular benchmarks and remote
// workers are Evaluators.
//
// Training has three parts:
//
//   - an Engine (core/train/gorgonia on the CPU) builds a Network from an
//     architecture: a fixed-batch program with a forward pass, a backward
//     pass and an optimizer step;
//   - a dataset from core/train/data, split into training, validation and
//     test sets;
//   - a Trainer, the Evaluator, which trains on the training set with the
//     Options (Adam or SGD with momentum, learning rate, batch size,
//     epochs or a step budget, early stopping, weight decay, seed), reports
//     the validation accuracy (%) after every epoch, stops when the
//     Reporter says so, and returns the best validation accuracy. It
//     records the test accuracy of the best epoch's weights, the loss,
//     the training time, the batched inference latency, the parameters and
//     the FLOPs through AttrSetter.
//
// The same seed gives the same result: it fixes the initial weights, the
// dropout masks and the order of the batches.
package train
