package train_test

import (
	"context"
	"fmt"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/data"
	"github.com/morphml/morphml/core/train/gorgonia"
)

// Train a small convolutional network on the embedded digits and read its
// validation and test accuracy.
func ExampleTrainer() {
	split, err := data.Load("digits", data.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := &graph.Arch{Input: graph.Shape{1, 8, 8}}
	x := a.Add(graph.OpInput, nil)
	x = a.Add(graph.OpConv2D, map[string]int{"filters": 16, "kernel": 3}, x)
	x = a.Add(graph.OpReLU, nil, x)
	x = a.Add(graph.OpMaxPool, map[string]int{"pool": 2}, x)
	x = a.Add(graph.OpFlatten, nil, x)
	a.Add(graph.OpOutput, map[string]int{"units": 10}, x)

	tr, err := train.NewTrainer(gorgonia.New(), split, train.Options{Epochs: 5, BatchSize: 32, LearningRate: 0.003, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := tr.Train(context.Background(), a, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(split)
	fmt.Println("epochs:", res.Epochs, "parameters:", res.Params)
	fmt.Println("test accuracy above 90 %:", res.TestAcc > 90)
	// Output:
	// digits/train: 1222 train, 216 validation, 359 test samples of shape [1 8 8], 10 classes
	// epochs: 5 parameters: 2714
	// test accuracy above 90 %: true
}
