// Package bench holds tabular NAS benchmarks as train.Evaluators, and a
// harness that measures optimizers on them.
//
// NAS-Bench-201 (Dong and Yang, ICLR 2020; the topology space of NATS-Bench)
// ships embedded: every one of its 15,625 cells with its 12-epoch validation
// and test accuracy and its 200-epoch test accuracy on CIFAR-10, CIFAR-100 and
// ImageNet16-120. LoadNB201 parses the table once.
//
// The harness follows the benchmark's honest protocol: an optimizer sees only
// the 12-epoch validation accuracy of the architectures it queries (that is
// what the Evaluator returns), and the figure reported for a run is the
// 200-epoch test accuracy of the architecture it finally picks, the one with
// the best validation accuracy it saw (the earliest on ties). Test accuracies
// never reach the optimizer.
//
//	rep, err := bench.RunNB201(ctx, bench.NB201Config{Optimizer: "evolution", Budget: 100, Runs: 100}, nil)
//	fmt.Println(rep.Markdown())
package bench
