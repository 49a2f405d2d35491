package gorgonia

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
)

// net builds a tiny arch whose op under test sits between a learnable
// layer (so its input gradient is exercised) and the classifier head.
type archFn func(a *graph.Arch, x int) int

func tinyArch(input graph.Shape, body archFn) *graph.Arch {
	a := &graph.Arch{Input: input}
	x := a.Add(graph.OpInput, nil)
	if len(input) == 3 {
		x = a.Add(graph.OpConv2D, map[string]int{"filters": 3, "kernel": 3}, x)
	} else {
		x = a.Add(graph.OpDense, map[string]int{"units": 6}, x)
	}
	x = body(a, x)
	if s, err := graph.InferShapes(a); err == nil && len(s[x]) == 3 {
		x = a.Add(graph.OpFlatten, nil, x)
	}
	a.Add(graph.OpOutput, map[string]int{"units": 3}, x)
	return a
}

func one(op string, attrs map[string]int) archFn {
	return func(a *graph.Arch, x int) int { return a.Add(op, attrs, x) }
}

// gradCases cover every op kind of core/graph.
var gradCases = []struct {
	name  string
	input graph.Shape
	body  archFn
}{
	{"conv2d stride 2 padding 1", graph.Shape{2, 7, 7}, one(graph.OpConv2D, map[string]int{"filters": 4, "kernel": 3, "stride": 2, "padding": 1})},
	{"conv2d 1x1", graph.Shape{2, 5, 5}, one(graph.OpConv2D, map[string]int{"filters": 2, "kernel": 1, "padding": 0})},
	{"conv2d valid 5x5", graph.Shape{2, 6, 6}, one(graph.OpConv2D, map[string]int{"filters": 2, "kernel": 5, "padding": 0})},
	{"maxpool 2", graph.Shape{2, 6, 6}, one(graph.OpMaxPool, map[string]int{"pool": 2})},
	{"maxpool 3 stride 1 padding 1", graph.Shape{2, 5, 5}, one(graph.OpMaxPool, map[string]int{"pool": 3, "stride": 1, "padding": 1})},
	{"avgpool 2", graph.Shape{2, 6, 6}, one(graph.OpAvgPool, map[string]int{"pool": 2})},
	{"avgpool 3 stride 1 padding 1", graph.Shape{2, 5, 5}, one(graph.OpAvgPool, map[string]int{"pool": 3, "stride": 1, "padding": 1})},
	{"globalavgpool", graph.Shape{2, 5, 5}, one(graph.OpGlobalAvg, nil)},
	{"batchnorm image", graph.Shape{2, 5, 5}, one(graph.OpBatchNorm, nil)},
	{"batchnorm vector", graph.Shape{5}, one(graph.OpBatchNorm, nil)},
	{"relu", graph.Shape{5}, one(graph.OpReLU, nil)},
	{"gelu", graph.Shape{5}, one(graph.OpGELU, nil)},
	{"tanh", graph.Shape{5}, one(graph.OpTanh, nil)},
	{"sigmoid", graph.Shape{5}, one(graph.OpSigmoid, nil)},
	{"dropout", graph.Shape{5}, one(graph.OpDropout, map[string]int{"rate_permille": 300})},
	{"dense", graph.Shape{5}, one(graph.OpDense, map[string]int{"units": 4})},
	{"flatten", graph.Shape{2, 4, 4}, one(graph.OpFlatten, nil)},
	{"identity", graph.Shape{5}, one(graph.OpIdentity, nil)},
	{"concat", graph.Shape{2, 5, 5}, func(a *graph.Arch, x int) int {
		b := a.Add(graph.OpConv2D, map[string]int{"filters": 2, "kernel": 1, "padding": 0}, x)
		return a.Add(graph.OpConcat, nil, x, b)
	}},
	{"add (residual)", graph.Shape{2, 5, 5}, func(a *graph.Arch, x int) int {
		b := a.Add(graph.OpConv2D, map[string]int{"filters": 3, "kernel": 3}, x)
		b = a.Add(graph.OpTanh, nil, b)
		return a.Add(graph.OpAdd, nil, x, b)
	}},
	{"zero edge in a sum", graph.Shape{2, 5, 5}, func(a *graph.Arch, x int) int {
		z := a.Add(graph.OpZero, nil, x)
		b := a.Add(graph.OpAvgPool, map[string]int{"pool": 3, "stride": 1, "padding": 1}, x)
		return a.Add(graph.OpAdd, nil, z, b, x)
	}},
	{"zero into a layer", graph.Shape{5}, func(a *graph.Arch, x int) int {
		z := a.Add(graph.OpZero, nil, x)
		z = a.Add(graph.OpBatchNorm, nil, z)
		return a.Add(graph.OpConcat, nil, x, z)
	}},
}

// TestGradients compares every weight's gradient with central finite
// differences along random directions, for a tiny network around each op
// kind (so the op's own gradient and its input gradient both count).
func TestGradients(t *testing.T) {
	for _, tc := range gradCases {
		t.Run(tc.name, func(t *testing.T) {
			a := tinyArch(tc.input, tc.body)
			checkGradients(t, a)
		})
	}
}

func checkGradients(t *testing.T, a *graph.Arch) {
	t.Helper()
	const batch = 4
	nw, err := New().Build(a, a.Input, train.Options{BatchSize: batch, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer nw.Close()
	n := nw.(*network)
	r := rand.New(rand.NewPCG(5, 6))
	x := n.xv.Data().([]float32)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	for i := 0; i < batch; i++ {
		n.onehot[i*n.classes+r.IntN(n.classes)] = 1
	}
	n.mode.training, n.mode.frozen = true, true
	loss := func() float64 {
		t.Helper()
		if err := n.trainVM.RunAll(); err != nil {
			t.Fatal(err)
		}
		defer n.trainVM.Reset()
		return n.xent.last
	}
	loss() // draws the dropout masks and binds the gradients
	grads := make([][]float32, len(n.learn))
	for i, w := range n.learn {
		g, err := w.Grad()
		if err != nil {
			t.Fatalf("%s: %v", w.Name(), err)
		}
		grads[i] = append([]float32(nil), g.Data().([]float32)...)
	}
	const eps = 3e-4
	close := func(a, b float64) bool { return math.Abs(a-b) <= 0.03*math.Max(math.Abs(a), math.Abs(b))+1e-3 }
	for i, w := range n.learn {
		wd := w.Value().Data().([]float32)
		orig := append([]float32(nil), wd...)
		// fd is the central difference along v with step h.
		fd := func(v []float32, h float32) float64 {
			for j := range wd {
				wd[j] = orig[j] + h*v[j]
			}
			up := loss()
			for j := range wd {
				wd[j] = orig[j] - h*v[j]
			}
			down := loss()
			copy(wd, orig)
			return (up - down) / (2 * float64(h))
		}
		checked := 0
		for try := 0; try < 8 && checked < 3; try++ {
			// A unit direction keeps the step small; a max or relu that
			// changes its choice inside the step (a near tie) shows as two
			// step sizes disagreeing, and that direction is skipped.
			v := make([]float32, len(wd))
			var norm float64
			for j := range v {
				v[j] = float32(r.NormFloat64())
				norm += float64(v[j]) * float64(v[j])
			}
			var an float64
			for j := range v {
				v[j] /= float32(math.Sqrt(norm))
				an += float64(v[j]) * float64(grads[i][j])
			}
			d1, d2 := fd(v, eps), fd(v, eps/3)
			if !close(d1, d2) {
				continue
			}
			checked++
			if !close(d1, an) {
				t.Errorf("%s: directional derivative %.5f by finite differences, %.5f by backprop", w.Name(), d1, an)
			}
		}
		if checked < 3 {
			t.Errorf("%s: only %d of 8 directions were free of kinks", w.Name(), checked)
		}
	}
}
