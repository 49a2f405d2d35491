package graph

import (
	"errors"
	"math"
	"strings"
	"testing"
)

type at = map[string]int

// chain builds an architecture whose nodes each read the node before.
func chain(input Shape, nodes ...Node) *Arch {
	a := &Arch{Input: input}
	a.Add(OpInput, nil)
	for _, n := range nodes {
		i := a.Add(n.Op, n.Attrs, len(a.Nodes)-1)
		a.Nodes[i].Name = n.Name
	}
	return a
}

func TestInferShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input Shape
		node  Node
		want  Shape
	}{
		{"conv same", Shape{3, 32, 32}, Node{Op: OpConv2D, Attrs: at{"filters": 8, "kernel": 3}}, Shape{8, 32, 32}},
		{"conv same even kernel", Shape{3, 32, 32}, Node{Op: OpConv2D, Attrs: at{"filters": 8, "kernel": 4}}, Shape{8, 31, 31}},
		{"conv valid", Shape{1, 28, 28}, Node{Op: OpConv2D, Attrs: at{"filters": 4, "kernel": 5, "padding": 0}}, Shape{4, 24, 24}},
		{"conv stride", Shape{3, 32, 32}, Node{Op: OpConv2D, Attrs: at{"filters": 16, "kernel": 3, "stride": 2}}, Shape{16, 16, 16}},
		{"maxpool default stride", Shape{4, 28, 28}, Node{Op: OpMaxPool, Attrs: at{"pool": 2}}, Shape{4, 14, 14}},
		{"avgpool odd", Shape{4, 7, 7}, Node{Op: OpAvgPool, Attrs: at{"pool": 2}}, Shape{4, 3, 3}},
		{"avgpool padded", Shape{4, 8, 8}, Node{Op: OpAvgPool, Attrs: at{"pool": 3, "stride": 1, "padding": 1}}, Shape{4, 8, 8}},
		{"global", Shape{64, 8, 8}, Node{Op: OpGlobalAvg}, Shape{64}},
		{"batchnorm", Shape{64, 8, 8}, Node{Op: OpBatchNorm}, Shape{64, 8, 8}},
		{"gelu", Shape{10}, Node{Op: OpGELU}, Shape{10}},
		{"dropout", Shape{10}, Node{Op: OpDropout, Attrs: at{"rate_permille": 500}}, Shape{10}},
		{"flatten", Shape{64, 7, 7}, Node{Op: OpFlatten}, Shape{3136}},
		{"dense", Shape{784}, Node{Op: OpDense, Attrs: at{"units": 128}}, Shape{128}},
		{"output", Shape{128}, Node{Op: OpOutput, Attrs: at{"units": 10}}, Shape{10}},
		{"identity", Shape{2, 3, 4}, Node{Op: OpIdentity}, Shape{2, 3, 4}},
		{"zero", Shape{2, 3, 4}, Node{Op: OpZero}, Shape{2, 3, 4}},
	} {
		shapes, err := InferShapes(chain(tc.input, tc.node))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := shapes[1]; !got.Equal(tc.want) {
			t.Errorf("%s: shape %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestValidateErrors(t *testing.T) {
	img := Shape{3, 32, 32}
	for _, tc := range []struct {
		name string
		a    *Arch
		want string // the whole message, or a part of it
	}{
		{"nil", nil, "nil architecture"},
		{"empty", &Arch{Input: img}, "no nodes"},
		{"no input node", &Arch{Input: img, Nodes: []Node{{Op: OpReLU}}}, "node 0 (relu): node 0 must be the input node"},
		{"second input", &Arch{Input: img, Nodes: []Node{{Op: OpInput}, {Op: OpInput}}}, "node 1 (input): only node 0 may be the input node"},
		{"empty input shape", &Arch{Nodes: []Node{{Op: OpInput}}}, "Arch.Input is empty"},
		{"bad input shape", &Arch{Input: Shape{3, 0, 32}, Nodes: []Node{{Op: OpInput}}}, "dimension out of range"},
		{"unknown op", chain(img, Node{Op: "conv3d", Name: "c"}), `node 1 "c" (conv3d): unknown op "conv3d"`},
		{"input with inputs", &Arch{Input: img, Nodes: []Node{{Op: OpInput, Inputs: []int{0}}}}, "takes no inputs"},
		{"two inputs to relu", &Arch{Input: img, Nodes: []Node{{Op: OpInput}, {Op: OpReLU}, {Op: OpReLU, Inputs: []int{0, 1}}}}, "node 1 (relu): takes exactly 1 input, got 0"},
		{"add without inputs", &Arch{Input: img, Nodes: []Node{{Op: OpInput}, {Op: OpAdd}}}, "needs at least 1 input"},
		{"forward reference", &Arch{Input: img, Nodes: []Node{{Op: OpInput}, {Op: OpReLU, Inputs: []int{2}}, {Op: OpReLU, Inputs: []int{1}}}},
			"node 1 (relu): input 0 refers to node 2, which is not earlier (a cycle or forward reference"},
		{"self loop", &Arch{Input: img, Nodes: []Node{{Op: OpInput}, {Op: OpReLU, Inputs: []int{1}}}}, "refers to node 1, which is not earlier"},
		{"missing node", &Arch{Input: img, Nodes: []Node{{Op: OpInput}, {Op: OpReLU, Inputs: []int{7}}}}, "refers to node 7, which does not exist"},
		{"negative index", &Arch{Input: img, Nodes: []Node{{Op: OpInput}, {Op: OpReLU, Inputs: []int{-1}}}}, "refers to node -1, which does not exist"},
		{"missing filters", chain(img, Node{Op: OpConv2D, Attrs: at{"kernel": 3}}), "node 1 (conv2d): missing attribute filters"},
		{"zero kernel", chain(img, Node{Op: OpConv2D, Attrs: at{"filters": 3, "kernel": 0}}), "attribute kernel must be positive, got 0"},
		{"negative stride", chain(img, Node{Op: OpConv2D, Attrs: at{"filters": 3, "kernel": 3, "stride": -2}}), "attribute stride is negative (-2)"},
		{"zero stride", chain(img, Node{Op: OpMaxPool, Attrs: at{"pool": 2, "stride": 0}}), "attribute stride must be positive, got 0"},
		{"kernel too large", chain(Shape{1, 4, 4}, Node{Op: OpConv2D, Name: "big", Attrs: at{"filters": 3, "kernel": 7, "padding": 0}}),
			`node 1 "big" (conv2d): kernel 7 (stride 1, padding 0) does not fit input shape [1 4 4]: the output would be empty`},
		{"pool too large", chain(Shape{1, 2, 2}, Node{Op: OpMaxPool, Attrs: at{"pool": 3}}), "pool 3 (stride 3, padding 0) does not fit input shape [1 2 2]"},
		{"pool padding", chain(img, Node{Op: OpAvgPool, Attrs: at{"pool": 2, "padding": 2}}), "padding 2 must be smaller than pool 2"},
		{"conv on vector", chain(Shape{10}, Node{Op: OpConv2D, Attrs: at{"filters": 3, "kernel": 3}}), "input shape [10] is not an image [C H W]"},
		{"dense on image", chain(Shape{64, 7, 7}, Node{Op: OpDense, Name: "dense_2", Attrs: at{"units": 10}}),
			`node 1 "dense_2" (dense): input shape [64 7 7] is not a vector; add a flatten or globalavgpool layer before it`},
		{"output on matrix", chain(Shape{7, 7}, Node{Op: OpOutput, Attrs: at{"units": 10}}), "input shape [7 7] is not a vector; add a flatten layer before it"},
		{"missing units", chain(Shape{10}, Node{Op: OpDense}), "missing attribute units"},
		{"dropout rate", chain(Shape{10}, Node{Op: OpDropout, Attrs: at{"rate_permille": 1000}}), "rate_permille must be in [0, 999], got 1000"},
		{"output not last", chain(Shape{10}, Node{Op: OpOutput, Attrs: at{"units": 2}}, Node{Op: OpReLU}), "node 1 (output): the output node must be the last node"},
		{"add shapes", &Arch{Input: img, Nodes: []Node{{Op: OpInput}, {Op: OpConv2D, Attrs: at{"filters": 8, "kernel": 3}, Inputs: []int{0}}, {Op: OpAdd, Name: "res", Inputs: []int{0, 1}}}},
			`node 2 "res" (add): inputs have different shapes: node 0 [3 32 32], node 1 [8 32 32]; add needs equal shapes`},
		{"concat shapes", &Arch{Input: img, Nodes: []Node{{Op: OpInput}, {Op: OpMaxPool, Attrs: at{"pool": 2}, Inputs: []int{0}}, {Op: OpConcat, Inputs: []int{0, 1}}}},
			"node 2 (concat): inputs cannot be joined on the channel axis: node 0 [3 32 32], node 1 [3 16 16]"},
		{"huge attribute", chain(img, Node{Op: OpConv2D, Attrs: at{"filters": math.MaxInt32 + 1, "kernel": 3}}), "attribute filters is too large"},
	} {
		err := Validate(tc.a)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate = %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func TestNodeError(t *testing.T) {
	err := Validate(chain(Shape{8, 4, 4}, Node{Op: OpReLU}, Node{Op: OpDense, Name: "fc", Attrs: at{"units": 3}}))
	var ne *NodeError
	if !errors.As(err, &ne) || ne.Index != 2 || ne.Name != "fc" || ne.Op != OpDense {
		t.Fatalf("err = %#v", err)
	}
}

func TestCount(t *testing.T) {
	// LeNet-like: every count worked out by hand.
	a := chain(Shape{1, 28, 28},
		Node{Op: OpConv2D, Attrs: at{"filters": 6, "kernel": 5, "padding": 0}}, // 6x24x24: 150 params, 2*150*576 FLOPs
		Node{Op: OpBatchNorm},                     // 12 params, 2*3456 FLOPs
		Node{Op: OpReLU},                          // 3456 FLOPs
		Node{Op: OpMaxPool, Attrs: at{"pool": 2}}, // 6x12x12: 4*864 FLOPs
		Node{Op: OpFlatten},                       // 864
		Node{Op: OpDense, Attrs: at{"units": 32}}, // 864*32+32 params, 2*864*32 FLOPs
		Node{Op: OpDropout, Attrs: at{"rate_permille": 200}},
		Node{Op: OpOutput, Attrs: at{"units": 10}}, // 330 params, 640 FLOPs
	)
	c, err := Count(a)
	if err != nil {
		t.Fatal(err)
	}
	wantParams := int64(150 + 12 + 864*32 + 32 + 330)
	wantFLOPs := int64(2*150*576 + 2*3456 + 3456 + 4*864 + 2*864*32 + 640)
	if c.Params != wantParams || c.FLOPs != wantFLOPs {
		t.Errorf("Count = %d params, %d FLOPs; want %d, %d", c.Params, c.FLOPs, wantParams, wantFLOPs)
	}
	if len(c.Shapes) != len(a.Nodes) || !c.Shapes[5].Equal(Shape{864}) {
		t.Errorf("shapes %v", c.Shapes)
	}
	// add and concat
	b := &Arch{Input: Shape{4, 8, 8}}
	b.Add(OpInput, nil)
	b.Add(OpReLU, nil, 0)
	b.Add(OpAdd, nil, 0, 1, 1)
	b.Add(OpConcat, nil, 0, 2)
	b.Add(OpGlobalAvg, nil, 3)
	c, err = Count(b)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Shapes[3].Equal(Shape{8, 8, 8}) || c.FLOPs != 256+2*256+512 || c.Params != 0 {
		t.Errorf("Count = %+v", c)
	}
}

func TestCountOverflow(t *testing.T) {
	a := chain(Shape{math.MaxInt32, 1, 1})
	for range 3 {
		a.Add(OpConv2D, at{"filters": math.MaxInt32, "kernel": 1}, len(a.Nodes)-1)
	}
	if _, err := Count(a); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
	a = chain(Shape{math.MaxInt32, math.MaxInt32, math.MaxInt32})
	if err := Validate(a); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("err = %v", err)
	}
}

func TestShapesDoNotAlias(t *testing.T) {
	a := chain(Shape{3, 8, 8}, Node{Op: OpReLU}, Node{Op: OpConcat})
	shapes, err := InferShapes(a)
	if err != nil {
		t.Fatal(err)
	}
	shapes[0] = append(shapes[0], 99)
	shapes[1][0] = 42
	if !shapes[2].Equal(Shape{3, 8, 8}) || !a.Input.Equal(Shape{3, 8, 8}) {
		t.Errorf("shapes alias: %v, input %v", shapes, a.Input)
	}
}
