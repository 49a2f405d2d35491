package xla

import (
	"math/rand/v2"
	"sort"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
)

// batchOf returns a seeded random batch for a.
func batchOf(a *graph.Arch, bs int, seed uint64) ([]float32, []int) {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, bs*a.Input.Size())
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y := make([]int, bs)
	for i := range y {
		y[i] = r.IntN(10)
	}
	return x, y
}

type attrs = map[string]int

// body adds layers after node x and returns the last one.
type body func(a *graph.Arch, x int) int

// small builds an architecture: input, body, a flatten when the body ends
// on an image, and an output of 10 classes.
func small(in graph.Shape, b body) *graph.Arch {
	a := &graph.Arch{Input: in}
	x := b(a, a.Add(graph.OpInput, nil))
	if s, err := graph.InferShapes(a); err == nil && len(s[x]) == 3 {
		x = a.Add(graph.OpFlatten, nil, x)
	}
	a.Add(graph.OpOutput, attrs{"units": 10}, x)
	return a
}

func conv(f, k int, extra attrs) body {
	return func(a *graph.Arch, x int) int {
		at := attrs{"filters": f, "kernel": k}
		for key, v := range extra {
			at[key] = v
		}
		return a.Add(graph.OpConv2D, at, x)
	}
}

func then(bs ...body) body {
	return func(a *graph.Arch, x int) int {
		for _, b := range bs {
			x = b(a, x)
		}
		return x
	}
}

func op(name string, at attrs) body {
	return func(a *graph.Arch, x int) int { return a.Add(name, at, x) }
}

var (
	img = graph.Shape{2, 6, 6}
	vec = graph.Shape{12}
)

// opArchs has small architectures that together use every op of the IR,
// each named after the op it tests, and a NAS-Bench-201 cell network.
// Dropout is left out (its masks differ by design); see dropoutArch.
func opArchs() map[string]*graph.Arch {
	dense := op(graph.OpDense, attrs{"units": 8})
	return map[string]*graph.Arch{
		"dense":          small(vec, dense),
		"relu":           small(vec, then(dense, op(graph.OpReLU, nil))),
		"gelu":           small(vec, then(dense, op(graph.OpGELU, nil))),
		"tanh":           small(vec, then(dense, op(graph.OpTanh, nil))),
		"sigmoid":        small(vec, then(dense, op(graph.OpSigmoid, nil))),
		"batchnorm1d":    small(vec, then(dense, op(graph.OpBatchNorm, nil))),
		"batchnorm2d":    small(img, then(conv(3, 3, nil), op(graph.OpBatchNorm, nil))),
		"conv3x3":        small(img, conv(3, 3, nil)),
		"conv1x1":        small(img, conv(3, 1, nil)),
		"conv_stride2":   small(img, conv(3, 3, attrs{"stride": 2})),
		"conv_valid5x5":  small(img, conv(3, 5, attrs{"padding": 0})),
		"maxpool2":       small(img, then(conv(3, 3, nil), op(graph.OpMaxPool, attrs{"pool": 2}))),
		"maxpool3_s1_p1": small(img, then(conv(3, 3, nil), op(graph.OpMaxPool, attrs{"pool": 3, "stride": 1, "padding": 1}))),
		"avgpool2":       small(img, then(conv(3, 3, nil), op(graph.OpAvgPool, attrs{"pool": 2}))),
		"avgpool3_s1_p1": small(img, then(conv(3, 3, nil), op(graph.OpAvgPool, attrs{"pool": 3, "stride": 1, "padding": 1}))),
		"globalavgpool":  small(img, then(conv(4, 3, nil), op(graph.OpGlobalAvg, nil))),
		"concat_add_identity_zero": small(img, func(a *graph.Arch, x int) int {
			s := conv(3, 3, nil)(a, x)
			b1 := a.Add(graph.OpReLU, nil, conv(3, 3, nil)(a, s))
			b2 := a.Add(graph.OpIdentity, nil, s)
			z := a.Add(graph.OpZero, nil, b1)
			c := a.Add(graph.OpConcat, nil, b1, b2)
			c = conv(3, 1, nil)(a, c)
			return a.Add(graph.OpAdd, nil, c, s, z)
		}),
		"cell_nb201": nb201Arch(),
	}
}

// opArchNames returns the names of opArchs in order.
func opArchNames() []string {
	var names []string
	for k := range opArchs() {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// nb201Arch is a NAS-Bench-201 cell network (every edge op once: none,
// skip, conv1x1, conv3x3, avgpool3x3, conv3x3), shrunk to one cell per
// stage of 4 and 8 channels on 3x8x8 inputs so it trains in milliseconds.
func nb201Arch() *graph.Arch {
	s, err := space.NewCellSpace("nb201-tiny", space.CellConfig{Nodes: 4, Ops: space.NB201Ops(),
		Input: graph.Shape{3, 8, 8}, Stages: []int{4, 8}, Cells: 1})
	if err != nil {
		panic(err)
	}
	// Edge choices index NB201Ops: none, skip, conv1x1, conv3x3, avgpool3x3.
	a, err := s.Decode(space.Point{3, 0, 4, 1, 2, 3})
	if err != nil {
		panic(err)
	}
	return a
}

// dropoutArch uses dropout between two dense layers.
func dropoutArch(permille int) *graph.Arch {
	return small(vec, then(op(graph.OpDense, attrs{"units": 64}), op(graph.OpDropout, attrs{"rate_permille": permille})))
}
