package graph_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/morphml/morphml/core/graph"
)

// lenet builds a small chain CNN for the examples.
func lenet() *graph.Arch {
	a := &graph.Arch{Input: graph.Shape{1, 28, 28}}
	x := a.Add(graph.OpInput, nil)
	x = a.Add(graph.OpConv2D, map[string]int{"filters": 6, "kernel": 5, "padding": 0}, x)
	x = a.Add(graph.OpReLU, nil, x)
	x = a.Add(graph.OpMaxPool, map[string]int{"pool": 2}, x)
	x = a.Add(graph.OpFlatten, nil, x)
	a.Add(graph.OpOutput, map[string]int{"units": 10}, x)
	return a
}

func ExampleCount() {
	c, err := graph.Count(lenet())
	if err != nil {
		panic(err)
	}
	fmt.Println("params:", c.Params)
	fmt.Println("FLOPs:", c.FLOPs)
	fmt.Println("output:", c.Shapes[len(c.Shapes)-1])
	// Output:
	// params: 8800
	// FLOPs: 196992
	// output: [10]
}

func ExampleValidate() {
	a := &graph.Arch{Input: graph.Shape{1, 28, 28}}
	x := a.Add(graph.OpInput, nil)
	x = a.Add(graph.OpConv2D, map[string]int{"filters": 64, "kernel": 3, "stride": 4}, x)
	x = a.Add(graph.OpDense, map[string]int{"units": 10}, x)
	a.Nodes[x].Name = "dense_2"
	fmt.Println(graph.Validate(a))
	// Output:
	// node 2 "dense_2" (dense): input shape [64 7 7] is not a vector; add a flatten or globalavgpool layer before it
}

func ExampleHash() {
	// Two residual blocks that list their branches in opposite orders.
	block := func(convFirst bool) *graph.Arch {
		a := &graph.Arch{Input: graph.Shape{8, 16, 16}}
		in := a.Add(graph.OpInput, nil)
		var c, s int
		if convFirst {
			c = a.Add(graph.OpConv2D, map[string]int{"filters": 8, "kernel": 3}, in)
			s = a.Add(graph.OpIdentity, nil, in)
		} else {
			s = a.Add(graph.OpIdentity, nil, in)
			c = a.Add(graph.OpConv2D, map[string]int{"filters": 8, "kernel": 3, "padding": 1}, in)
		}
		x := a.Add(graph.OpAdd, nil, c, s)
		x = a.Add(graph.OpGlobalAvg, nil, x)
		a.Add(graph.OpOutput, map[string]int{"units": 2}, x)
		return a
	}
	fmt.Println(graph.Hash(block(true)) == graph.Hash(block(false)))
	fmt.Println(len(graph.Hash(block(true))))
	// Output:
	// true
	// 64
}

func ExampleSummary() {
	fmt.Print(graph.Summary(lenet()))
	// Output:
	// #  name  op       attributes                    inputs  output shape  params
	// ----------------------------------------------------------------------------
	// 0        input                                          [1 28 28]          0
	// 1        conv2d   filters=6 kernel=5 padding=0  0       [6 24 24]        150
	// 2        relu                                   1       [6 24 24]          0
	// 3        maxpool  pool=2                        2       [6 12 12]          0
	// 4        flatten                                3       [864]              0
	// 5        output   units=10                      4       [10]           8,650
	// ----------------------------------------------------------------------------
	// Total params: 8,800
	// FLOPs: 196,992
}

func ExampleDOT() {
	a := &graph.Arch{Input: graph.Shape{4}}
	x := a.Add(graph.OpInput, nil)
	a.Add(graph.OpOutput, map[string]int{"units": 2}, x)
	fmt.Print(graph.DOT(a))
	// Output:
	// digraph arch {
	//   rankdir=TB;
	//   node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];
	//   n0 [label="input\n[4]"];
	//   n1 [label="output\nunits=2\n[2]"];
	//   n0 -> n1;
	// }
}

func ExampleFromJSON() {
	js, _ := json.Marshal(lenet())
	a, err := graph.FromJSON(js)
	fmt.Println(len(a.Nodes), err)
	_, err = graph.FromJSON([]byte(`{"input":[3,8,8],"nodes":[{"op":"input"},{"op":"maxpool","attrs":{"pool":16},"inputs":[0]}]}`))
	fmt.Println(err)
	// Output:
	// 6 <nil>
	// decode architecture: node 1 (maxpool): pool 16 (stride 16, padding 0) does not fit input shape [3 8 8]: the output would be empty
}

func ExampleMutate() {
	rng := rand.New(rand.NewPCG(1, 2))
	a := lenet()
	for range 3 {
		var err error
		if a, err = graph.Mutate(a, rng); err != nil {
			panic(err)
		}
		fmt.Println(a.Labels[graph.MutationLabel])
	}
	// Output:
	// remove node 2
	// set pool=1 on node 2
	// set filters=3 on node 1
}
