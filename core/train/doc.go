// Package train defines how an architecture is evaluated: the Evaluator that
// turns a graph.Arch into objective values, and the Reporter through which an
// evaluation reports intermediate values and learns that it should stop.
// Trainers (CPU, GPU), tabular benchmarks and remote workers are Evaluators.
package train
