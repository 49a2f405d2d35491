package gorgonia

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/train"
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

// steps trains a fresh network for n steps and returns the losses and the
// final predictions.
func steps(t *testing.T, a *graph.Arch, o train.Options, n int) ([]float64, []int) {
	t.Helper()
	net, err := New().Build(a, a.Input, o)
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	x, y := batchOf(a, net.Batch(), 1)
	var losses []float64
	for range n {
		l, err := net.TrainStep(x, y)
		if err != nil {
			t.Fatal(err)
		}
		losses = append(losses, l)
	}
	pred := make([]int, net.Batch())
	if err := net.Predict(x, net.Batch(), pred); err != nil {
		t.Fatal(err)
	}
	return losses, pred
}

func TestTrainingLearnsAndIsReproducible(t *testing.T) {
	for _, name := range train.ReferenceModels {
		t.Run(name, func(t *testing.T) {
			a, _ := train.ReferenceArch(name)
			for _, opt := range []string{train.Adam, train.SGD} {
				o := train.Options{BatchSize: 16, Seed: 7, Optimizer: opt, Momentum: 0.9, WeightDecay: 1e-4}
				if opt == train.SGD {
					o.LearningRate = 0.005
				}
				l1, p1 := steps(t, a, o, 12)
				l2, p2 := steps(t, a, o, 12)
				for i := range l1 {
					if l1[i] != l2[i] {
						t.Fatalf("%s: step %d: loss %v then %v with the same seed", opt, i, l1[i], l2[i])
					}
				}
				for i := range p1 {
					if p1[i] != p2[i] {
						t.Fatalf("%s: prediction %d differs with the same seed", opt, i)
					}
				}
				if !(l1[len(l1)-1] < 0.5*l1[0]) {
					t.Errorf("%s: loss %v -> %v: fitting one batch should halve it", opt, l1[0], l1[len(l1)-1])
				}
				o.Seed = 8
				if l3, _ := steps(t, a, o, 1); l3[0] == l1[0] {
					t.Errorf("%s: seeds 7 and 8 start at the same loss %v", opt, l1[0])
				}
			}
		})
	}
}

// TestCellOps trains a small cell network with every NAS-Bench-201 edge
// op (none, skip, conv 1x1, conv 3x3, avg pool 3x3) and max pool.
func TestCellOps(t *testing.T) {
	sp, err := space.NewCellSpace("t", space.CellConfig{Nodes: 4, Input: graph.Shape{1, 8, 8}, Stages: []int{4, 8}, Cells: 1,
		Ops: []string{"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3", "max_pool_3x3"}})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 4 {
		a, err := sp.Decode(sp.Sample(r))
		if err != nil {
			t.Fatal(err)
		}
		losses, _ := steps(t, a, train.Options{BatchSize: 8, Seed: 1, LearningRate: 0.01}, 6)
		for _, l := range losses {
			if math.IsNaN(l) || math.IsInf(l, 0) {
				t.Fatalf("%s: loss %v", a.Labels["cell"], l)
			}
		}
	}
}

func TestCheckpointRestore(t *testing.T) {
	a, _ := train.ReferenceArch("cell")
	net, err := New().Build(a, a.Input, train.Options{BatchSize: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	x, y := batchOf(a, 8, 2)
	net.TrainStep(x, y)
	net.Checkpoint()
	before := make([]int, 8)
	net.Predict(x, 8, before)
	scores := append([]float32(nil), net.(*network).logits.Value().Data().([]float32)...)
	for range 5 {
		net.TrainStep(x, y)
	}
	net.Restore()
	after := make([]int, 8)
	net.Predict(x, 8, after)
	got := net.(*network).logits.Value().Data().([]float32)
	for i := range scores {
		if scores[i] != got[i] {
			t.Fatalf("logit %d: %v before, %v after restoring", i, scores[i], got[i])
		}
	}
}

func TestBuildErrors(t *testing.T) {
	mlp, _ := train.ReferenceArch("mlp")
	noHead := &graph.Arch{Input: graph.Shape{4}}
	noHead.Add(graph.OpInput, nil)
	noHead.Add(graph.OpDense, map[string]int{"units": 3}, 0)
	bad := &graph.Arch{Input: graph.Shape{4}}
	bad.Add(graph.OpInput, nil)
	bad.Nodes = append(bad.Nodes, graph.Node{Op: graph.OpConv2D, Name: "c1", Attrs: map[string]int{"filters": 2, "kernel": 3}, Inputs: []int{0}})
	tests := []struct {
		name  string
		a     *graph.Arch
		input graph.Shape
		o     train.Options
		want  string
	}{
		{"input mismatch", mlp, graph.Shape{1, 28, 28}, train.Options{}, "takes inputs of shape [784] but the data has shape [1 28 28]"},
		{"no head", noHead, graph.Shape{4}, train.Options{}, `the last node is "dense", want an output node`},
		{"invalid node", bad, graph.Shape{4}, train.Options{}, `node 1 "c1" (conv2d): input shape [4] is not an image`},
		{"bad options", mlp, graph.Shape{784}, train.Options{Optimizer: "lbfgs"}, `unknown optimizer "lbfgs"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Build(tt.a, tt.input, tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestNetworkInputErrors(t *testing.T) {
	a, _ := train.ReferenceArch("mlp")
	net, err := New().Build(a, a.Input, train.Options{BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	x, y := batchOf(a, 4, 1)
	if _, err := net.TrainStep(x[:10], y); err == nil || !strings.Contains(err.Error(), "want 3136 and 4") {
		t.Errorf("short batch: %v", err)
	}
	y[2] = 12
	if _, err := net.TrainStep(x, y); err == nil || !strings.Contains(err.Error(), "label 2 of the batch is 12, outside [0, 10)") {
		t.Errorf("bad label: %v", err)
	}
	net.Close()
	if err := net.Predict(x, 4, make([]int, 4)); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("closed network: %v", err)
	}
}

// panicKernel fails inside the tape machine's goroutine.
type panicKernel struct{ reshapeKernel }

func (p *panicKernel) forward([]float32, [][]float32) { panic("boom") }

func TestKernelPanicBecomesError(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 3), G.WithName("x"), G.WithInit(G.Zeroes()))
	k := &panicKernel{reshapeKernel{name: `node 4 "bad" (relu)`, shp: tensor.Shape{2, 3}}}
	if _, err := apply(k, x); err != nil {
		t.Fatal(err)
	}
	m := G.NewTapeMachine(g)
	defer m.Close()
	err := m.RunAll()
	if err == nil || !strings.Contains(err.Error(), `node 4 "bad" (relu): forward pass: internal error: boom`) {
		t.Errorf("err = %v", err)
	}
}

func TestThreadsDoNotChangeResults(t *testing.T) {
	a, _ := train.ReferenceArch("cell")
	o := train.Options{BatchSize: 12, Seed: 2}
	var want []float64
	for _, threads := range []int{1, 3} {
		net, err := (&Engine{Threads: threads}).Build(a, a.Input, o)
		if err != nil {
			t.Fatal(err)
		}
		x, y := batchOf(a, 12, 1)
		var got []float64
		for range 3 {
			l, err := net.TrainStep(x, y)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, l)
		}
		net.Close()
		if want == nil {
			want = got
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%d threads: step %d loss %v, 1 thread %v", threads, i, got[i], want[i])
			}
		}
	}
}
