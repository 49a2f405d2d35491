package gorgonia_test

import (
	"fmt"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/gorgonia"
)

// Build a network from an architecture and run training steps by hand;
// train.Trainer does this over a whole dataset.
func ExampleEngine_Build() {
	a := &graph.Arch{Input: graph.Shape{4}}
	x := a.Add(graph.OpInput, nil)
	x = a.Add(graph.OpDense, map[string]int{"units": 8}, x)
	x = a.Add(graph.OpGELU, nil, x)
	a.Add(graph.OpOutput, map[string]int{"units": 2}, x)

	net, err := gorgonia.New().Build(a, graph.Shape{4}, train.Options{BatchSize: 4, LearningRate: 0.05, Seed: 1})
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
