package train

import (
	"fmt"

	"github.com/morphml/morphml/core/graph"
)

// ReferenceModels names the models of the training benchmark.
var ReferenceModels = []string{"mlp", "cnn", "cell"}

// ReferenceArch returns one of the three models the training benchmark
// (make bench-train) measures, on 28x28 grey images with 10 classes:
//
//   - "mlp": dense 128 + relu, dense 10 on the flattened image (784-128-10);
//   - "cnn": conv 3x3x16 + relu, maxpool 2, dense 10;
//   - "cell": a small DAG cell: a conv 3x3x16 + batchnorm + relu stem, two
//     branches (conv 3x3 + relu, conv 1x1 + relu) joined by concat, a 1x1
//     conv back to 16 channels added to the stem (residual), maxpool 2,
//     dropout 0.25, dense 10.
//
// scripts/bench_train.py builds the same three models in PyTorch.
func ReferenceArch(name string) (*graph.Arch, error) {
	img := graph.Shape{1, 28, 28}
	switch name {
	case "mlp":
		a := &graph.Arch{Input: graph.Shape{784}}
		x := a.Add(graph.OpInput, nil)
		x = a.Add(graph.OpDense, map[string]int{"units": 128}, x)
		x = a.Add(graph.OpReLU, nil, x)
		a.Add(graph.OpOutput, map[string]int{"units": 10}, x)
		return a, nil
	case "cnn":
		a := &graph.Arch{Input: img}
		x := a.Add(graph.OpInput, nil)
		x = a.Add(graph.OpConv2D, map[string]int{"filters": 16, "kernel": 3}, x)
		x = a.Add(graph.OpReLU, nil, x)
		x = a.Add(graph.OpMaxPool, map[string]int{"pool": 2}, x)
		x = a.Add(graph.OpFlatten, nil, x)
		a.Add(graph.OpOutput, map[string]int{"units": 10}, x)
		return a, nil
	case "cell":
		a := &graph.Arch{Input: img}
		x := a.Add(graph.OpInput, nil)
		s := a.Add(graph.OpConv2D, map[string]int{"filters": 16, "kernel": 3}, x)
		s = a.Add(graph.OpBatchNorm, nil, s)
		s = a.Add(graph.OpReLU, nil, s)
		b1 := a.Add(graph.OpConv2D, map[string]int{"filters": 16, "kernel": 3}, s)
		b1 = a.Add(graph.OpReLU, nil, b1)
		b2 := a.Add(graph.OpConv2D, map[string]int{"filters": 16, "kernel": 1}, s)
		b2 = a.Add(graph.OpReLU, nil, b2)
		c := a.Add(graph.OpConcat, nil, b1, b2)
		c = a.Add(graph.OpConv2D, map[string]int{"filters": 16, "kernel": 1}, c)
		r := a.Add(graph.OpAdd, nil, c, s)
		p := a.Add(graph.OpMaxPool, map[string]int{"pool": 2}, r)
		d := a.Add(graph.OpDropout, map[string]int{"rate_permille": 250}, p)
		f := a.Add(graph.OpFlatten, nil, d)
		a.Add(graph.OpOutput, map[string]int{"units": 10}, f)
		return a, nil
	}
	return nil, fmt.Errorf("unknown reference model %q (known: mlp, cnn, cell)", name)
}
