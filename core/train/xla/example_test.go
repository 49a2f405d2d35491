package xla_test

import (
	"context"
	"fmt"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/data"
	"github.com/morphml/morphml/core/train/xla"
)

// Build a network on the CPU (GoMLX's pure-Go backend) and run training
// steps by hand; xla.New(xla.GPU) does the same on a CUDA GPU.
func ExampleEngine_Build() {
	a := &graph.Arch{Input: graph.Shape{4}}
	x := a.Add(graph.OpInput, nil)
	x = a.Add(graph.OpDense, map[string]int{"units": 8}, x)
	x = a.Add(graph.OpGELU, nil, x)
	a.Add(graph.OpOutput, map[string]int{"units": 2}, x)

	net, err := xla.New(xla.CPU).Build(a, graph.Shape{4}, train.Options{BatchSize: 4, LearningRate: 0.05, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer net.Close()
	// Four samples: the class is whether the first feature is positive.
	xs := []float32{1, 0, 0, 0, -1, 0, 0, 0, 2, 1, 0, 0, -2, 1, 0, 0}
	ys := []int{1, 0, 1, 0}
	first, _ := net.TrainStep(xs, ys)
	var last float64
	for range 50 {
		last, _ = net.TrainStep(xs, ys)
	}
	pred := make([]int, 4)
	if err := net.Predict(xs, 4, pred); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("batch", net.Batch(), "classes", net.Classes())
	fmt.Println("loss went down:", last < first/4)
	fmt.Println("predictions:", pred)
	// Output:
	// batch 4 classes 2
	// loss went down: true
	// predictions: [1 0 1 0]
}

// The engine plugs into train.Trainer like the gorgonia engine: here an
// MLP learns the shipped 8x8 digits.
func ExampleEngine_trainer() {
	d, err := data.Load(data.NameDigits, data.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := &graph.Arch{Input: d.Shape()}
	x := a.Add(graph.OpInput, nil)
	x = a.Add(graph.OpFlatten, nil, x)
	x = a.Add(graph.OpDense, map[string]int{"units": 64}, x)
	x = a.Add(graph.OpReLU, nil, x)
	a.Add(graph.OpOutput, map[string]int{"units": 10}, x)
	tr, err := train.NewTrainer(xla.New(xla.CPU), d, train.Options{Epochs: 3, BatchSize: 32, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := tr.Train(context.Background(), a, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("epochs:", res.Epochs, "validation accuracy above 85%:", res.ValAcc > 85)
	// Output:
	// epochs: 3 validation accuracy above 85%: true
}
