package space_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
)

func cnn(t *testing.T) *space.Space {
	t.Helper()
	sp, err := space.NewLayerSpace("cnn", graph.Shape{1, 28, 28},
		space.Conv2D([]int{32, 64}, []int{3, 5}),
		space.ReLU(),
		space.MaxPool(2),
		space.Dense(64, 128),
		space.Output(10),
	)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestLayerSpaceParams(t *testing.T) {
	sp := cnn(t)
	var got []string
	for _, p := range sp.Params {
		got = append(got, fmt.Sprintf("%s%v", p.Name, p.Choices))
	}
	want := "conv2d_1.filters[32 64] conv2d_1.kernel_size[3 5] dense_1.units[64 128]"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("params = %s, want %s", s, want)
	}
	if sp.Size() != 8 {
		t.Errorf("size = %v, want 8", sp.Size())
	}
}

// describe renders an architecture as "name:op(attrs)<-inputs" lines.
func describe(a *graph.Arch) string {
	var b strings.Builder
	for i, n := range a.Nodes {
		fmt.Fprintf(&b, "%d %s:%s", i, n.Name, n.Op)
		if len(n.Attrs) > 0 {
			fmt.Fprintf(&b, " %v", n.Attrs)
		}
		if len(n.Inputs) > 0 {
			fmt.Fprintf(&b, "<-%v", n.Inputs)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestLayerSpaceDecode(t *testing.T) {
	sp := cnn(t)
	a, err := sp.Decoder.Decode(space.Point{1, 0, 1})
	if err != nil {
		t.Fatal(err)
	}
	want := `0 input:input
1 conv2d_1:conv2d map[filters:64 kernel:3 padding:-1 stride:1]<-[0]
2 relu_1:relu<-[1]
3 maxpool_1:maxpool map[pool:2 stride:2]<-[2]
4 dense_1/flatten:flatten<-[3]
5 dense_1:dense map[units:128]<-[4]
6 output_1:output map[units:10]<-[5]
`
	if got := describe(a); got != want {
		t.Errorf("arch:\n%s\nwant:\n%s", got, want)
	}
	if !a.Input.Equal(graph.Shape{1, 28, 28}) {
		t.Errorf("input = %v", a.Input)
	}
	// Every point decodes; the decoder never panics on bad points.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		if _, err := sp.Decoder.Decode(sp.Sample(rng)); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []space.Point{nil, {0}, {2, 0, 0}, {0.5, 0, 0}, {-1, 0, 0}} {
		if _, err := sp.Decoder.Decode(bad); err == nil {
			t.Errorf("Decode(%v) succeeded", bad)
		}
	}
}

func TestLayerSpaceResidualAndOptional(t *testing.T) {
	sp, err := space.NewLayerSpace("res", graph.Shape{3, 8, 8},
		space.Conv2D([]int{16}, nil).WithActivation("relu"),
		space.Residual(
			space.Conv2D([]int{16, 32}, []int{3}).Stride(1, 2),
			space.BatchNorm(),
		),
		space.Dropout(0.1, 0.3).Optional(),
		space.Activation("relu", "gelu", "linear"),
		space.GlobalAvgPool(),
		space.Output(10),
	)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range sp.Params {
		names = append(names, p.Name)
	}
	want := "conv2d_2.filters conv2d_2.stride dropout_1.present dropout_1.rate activation_1.function"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("params = %s, want %s", got, want)
	}
	tests := []struct {
		pt   space.Point
		want string
	}{
		{space.Point{0, 0, 0, 0, 0}, `0 input:input
1 conv2d_1:conv2d map[filters:16 kernel:3 padding:-1 stride:1]<-[0]
2 conv2d_1/relu:relu<-[1]
3 conv2d_2:conv2d map[filters:16 kernel:3 padding:-1 stride:1]<-[2]
4 batchnorm_1:batchnorm<-[3]
5 residual_1:add<-[2 4]
6 activation_1:relu<-[5]
7 globalavgpool_1:globalavgpool<-[6]
8 output_1:output map[units:10]<-[7]
`},
		{space.Point{1, 1, 1, 1, 2}, `0 input:input
1 conv2d_1:conv2d map[filters:16 kernel:3 padding:-1 stride:1]<-[0]
2 conv2d_1/relu:relu<-[1]
3 conv2d_2:conv2d map[filters:32 kernel:3 padding:-1 stride:2]<-[2]
4 batchnorm_1:batchnorm<-[3]
5 residual_1/proj:conv2d map[filters:32 kernel:1 padding:-1 stride:2]<-[2]
6 residual_1:add<-[5 4]
7 dropout_1:dropout map[rate_permille:300]<-[6]
8 activation_1:identity<-[7]
9 globalavgpool_1:globalavgpool<-[8]
10 output_1:output map[units:10]<-[9]
`},
	}
	for _, tt := range tests {
		a, err := sp.Decode(tt.pt)
		if err != nil {
			t.Fatal(err)
		}
		if got := describe(a); got != tt.want {
			t.Errorf("Decode(%v):\n%s\nwant:\n%s", tt.pt, got, tt.want)
		}
	}
}

func TestLayerSpaceVectorResidual(t *testing.T) {
	sp, err := space.NewLayerSpace("mlp", graph.Shape{64},
		space.Residual(space.Dense(32), space.ReLU()),
		space.Output(2))
	if err != nil {
		t.Fatal(err)
	}
	a, err := sp.Decode(space.Point{})
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(a); !strings.Contains(got, "residual_1/proj:dense map[units:32]<-[0]") {
		t.Errorf("no dense projection:\n%s", got)
	}
}

func TestLayerSpaceErrors(t *testing.T) {
	img := graph.Shape{1, 28, 28}
	tests := []struct {
		name  string
		input graph.Shape
		in    []space.Layer
		want  string
		path  []int
	}{
		{"no layers", img, nil, "no layers", nil},
		{"bad input", graph.Shape{1, 28}, []space.Layer{space.Output(2)}, "want [C, H, W]", nil},
		{"zero input", graph.Shape{0}, []space.Layer{space.Output(2)}, "every dimension", nil},
		{"no output", img, []space.Layer{space.ReLU()}, "relu_1: the last layer must be an output layer", []int{0}},
		{"output twice", img, []space.Layer{space.Output(3), space.Output(2)}, "output_1: an output layer must be the last", []int{0}},
		{"zero filters", img, []space.Layer{space.Conv2D([]int{0}, nil), space.Output(2)}, "conv2d_1.filters: 0 is outside [1, 1048576]", []int{0}},
		{"no filters", img, []space.Layer{space.Conv2D(nil, nil), space.Output(2)}, "conv2d_1.filters: no values", []int{0}},
		{"dup units", img, []space.Layer{space.Dense(8, 8), space.Output(2)}, "dense_1.units: 8 is listed twice", []int{0}},
		{"rate", img, []space.Layer{space.Dropout(1), space.Output(2)}, "dropout_1.rate: rate 1 is outside [0, 1)", []int{0}},
		{"padding", img, []space.Layer{space.Conv2D([]int{8}, nil).Padding("full"), space.Output(2)}, `conv2d_1.padding: unknown padding "full"`, []int{0}},
		{"activation", img, []space.Layer{space.Activation("swish"), space.Output(2)}, `activation_1.function: unknown function "swish"`, []int{0}},
		{"stride on dense", img, []space.Layer{space.Dense(4).Stride(2), space.Output(2)}, `dense_1.stride: a dense layer takes no argument "stride"`, []int{0}},
		{"kernel too big", img, []space.Layer{space.Conv2D([]int{8}, []int{29}), space.Output(2)}, "conv2d_1.kernel_size: kernel 29 is larger than its input 28x28", []int{0}},
		{"worst case", img, []space.Layer{space.MaxPool(2, 4), space.MaxPool(4), space.Conv2D([]int{8}, []int{3, 2}), space.Output(2)},
			"conv2d_1.kernel_size: kernel 3 is larger than its input 1x1 (with maxpool_1.pool_size=4, conv2d_1.kernel_size=3)", []int{2}},
		{"conv on vector", graph.Shape{10}, []space.Layer{space.Conv2D([]int{8}, nil), space.Output(2)}, "conv2d_1: needs an image input", []int{0}},
		{"empty residual", img, []space.Layer{space.Residual(), space.Output(2)}, "residual_1: a residual block needs at least one layer", []int{0}},
		{"output in residual", img, []space.Layer{space.Residual(space.Output(3)), space.Output(2)}, "output_1: a residual block cannot hold a output layer", []int{0, 0}},
		{"residual mismatch", img, []space.Layer{space.Residual(space.Conv2D([]int{8}, []int{5}).Padding("valid")), space.Output(2)},
			"residual_1: cannot add the block's output [8 24 24] to its input [1 28 28]", []int{0}},
		{"optional output", img, []space.Layer{space.Output(2).Optional()}, "output_1: an output layer cannot be optional", []int{0}},
		{"output units", img, []space.Layer{space.Output(2).SetInts(space.ArgUnits, 2, 3)}, "output_1.units: an output layer has exactly one", []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := space.NewLayerSpace("s", tt.input, tt.in...)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want %q", err, tt.want)
			}
			var le *space.LayerError
			if errors.As(err, &le) != (tt.path != nil) {
				t.Fatalf("LayerError = %v, want path %v", le, tt.path)
			}
			if le != nil && fmt.Sprint(le.Path) != fmt.Sprint(tt.path) {
				t.Errorf("path = %v, want %v", le.Path, tt.path)
			}
		})
	}
}

func TestLayerValueSemantics(t *testing.T) {
	base := space.Conv2D([]int{8}, nil)
	a := base.Stride(2)
	if base.Ints(space.ArgStride) != nil || a.Ints(space.ArgStride)[0] != 2 {
		t.Error("methods must not modify their receiver")
	}
	if !a.Optional().IsOptional() || a.IsOptional() {
		t.Error("Optional must return a copy")
	}
	if got := base.Ints(space.ArgKernelSize); len(got) != 1 || got[0] != 3 {
		t.Errorf("default kernel = %v", got)
	}
}

func ExampleNewLayerSpace() {
	sp, err := space.NewLayerSpace("cnn", graph.Shape{1, 28, 28},
		space.Conv2D([]int{32, 64}, []int{3, 5}),
		space.ReLU(),
		space.MaxPool(2),
		space.Dropout(0.2).Optional(),
		space.Dense(64, 128),
		space.Output(10),
	)
	if err != nil {
		panic(err)
	}
	for _, p := range sp.Params {
		fmt.Println(p.Name, p.Choices)
	}
	a, _ := sp.Decoder.Decode(space.Point{0, 1, 1, 0})
	for _, n := range a.Nodes[1:] {
		fmt.Print(n.Name, " ")
	}
	fmt.Println()
	// Output:
	// conv2d_1.filters [32 64]
	// conv2d_1.kernel_size [3 5]
	// dropout_1.present [false true]
	// dense_1.units [64 128]
	// conv2d_1 relu_1 maxpool_1 dropout_1 dense_1/flatten dense_1 output_1
}

// TestLayerSpaceValidGraphs checks every architecture of a few spaces with
// graph.Validate, the independent shape inference of package graph: what
// NewLayerSpace accepts must decode to valid graphs with unique node names.
func TestLayerSpaceValidGraphs(t *testing.T) {
	spaces := [][]space.Layer{
		{space.Conv2D([]int{4, 8}, []int{1, 2, 3, 4, 5}).Stride(1, 2).Padding("same", "valid"), space.MaxPool(2, 3).Stride(1, 2).Optional(),
			space.Residual(space.Conv2D([]int{8}, []int{3}).Stride(1, 2), space.BatchNorm(), space.ReLU()).Optional(),
			space.AvgPool(2).Optional(), space.Dense(16).WithActivation("gelu", "linear"), space.Dropout(0, 0.5), space.Output(3)},
		{space.Flatten(), space.Residual(space.Dense(8, 12), space.Tanh()), space.Sigmoid(), space.Output(2)},
		{space.Conv2D([]int{3}, []int{3}), space.Residual(space.Activation("relu", "gelu")), space.GlobalAvgPool(), space.Output(4)},
	}
	for i, layers := range spaces {
		sp, err := space.NewLayerSpace("s", graph.Shape{3, 32, 32}, layers...)
		if err != nil {
			t.Fatalf("space %d: %v", i, err)
		}
		// Enumerate every point (the spaces are small).
		pt := make(space.Point, len(sp.Params))
		for n := 0; ; n++ {
			a, err := sp.Decoder.Decode(pt)
			if err != nil {
				t.Fatalf("space %d, %v: %v", i, sp.Format(pt), err)
			}
			if err := graph.Validate(a); err != nil {
				t.Fatalf("space %d, %v: %v\n%s", i, sp.Format(pt), err, describe(a))
			}
			seen := map[string]bool{}
			for _, n := range a.Nodes {
				if seen[n.Name] {
					t.Fatalf("space %d: node name %q twice", i, n.Name)
				}
				seen[n.Name] = true
			}
			k := 0
			for ; k < len(pt); k++ {
				if pt[k]++; int(pt[k]) < len(sp.Params[k].Choices) {
					break
				}
				pt[k] = 0
			}
			if k == len(pt) {
				if float64(n+1) != sp.Size() {
					t.Errorf("space %d: %d points, Size %v", i, n+1, sp.Size())
				}
				break
			}
		}
	}
}
