package xla

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // GoMLX ops read best unqualified.
	"github.com/gomlx/gomlx/pkg/core/tensors"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
)

func TestParseDevice(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Device
		err  bool
	}{
		{"cpu", CPU, false}, {"GPU", GPU, false}, {" auto ", Auto, false}, {"", Auto, false}, {"tpu", "", true},
	} {
		got, err := ParseDevice(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("ParseDevice(%q) = %q, %v; want %q, error %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

// TestEachOpBuildsAndRuns builds every op's architecture on the pure-Go
// backend, runs a training step and an inference pass, and checks the
// loss is finite.
func TestEachOpBuildsAndRuns(t *testing.T) {
	e := pureGo()
	archs := opArchs()
	archs["dropout"] = dropoutArch(300)
	for name, a := range archs {
		net, err := e.Build(a, a.Input, train.Options{BatchSize: 4, Seed: 1})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		x, y := batchOf(a, 4, 1)
		l, err := net.TrainStep(x, y)
		if err != nil || math.IsNaN(l) || math.IsInf(l, 0) {
			t.Errorf("%s: loss %v, %v", name, l, err)
		}
		pred := make([]int, 4)
		if err := net.Predict(x, 4, pred); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		net.Close()
	}
}

// TestUnsupportedOpError: the pure-Go backend cannot differentiate the
// native convolution and pooling; forcing that lowering fails at Build
// with an error naming the node, the op and the missing backend ops.
func TestUnsupportedOpError(t *testing.T) {
	e := &Engine{Device: CPU, Plugin: PureGo, Lowering: LowerNative}
	for _, tc := range []struct {
		arch    string
		op      string
		missing string
	}{
		{"conv3x3", "conv2d", "Reverse"},
		{"cell_nb201", "conv2d", "Reverse"},
		{"dense", "", ""}, // no conv or pool: native is fine
	} {
		a := opArchs()[tc.arch]
		_, err := e.Build(a, a.Input, train.Options{BatchSize: 2})
		if tc.op == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.arch, err)
			}
			continue
		}
		var ue *UnsupportedOpError
		if !errors.As(err, &ue) {
			t.Fatalf("%s: got %v, want an UnsupportedOpError", tc.arch, err)
		}
		msg := err.Error()
		for _, want := range []string{tc.op, tc.missing, `"go" backend`, "gather"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: error %q does not mention %q", tc.arch, msg, want)
			}
		}
	}
	for _, op := range []string{graph.OpMaxPool, graph.OpAvgPool} {
		a := small(img, then(conv(2, 1, nil), func(a *graph.Arch, x int) int { return a.Add(op, attrs{"pool": 2}, x) }))
		_, err := e.Build(a, a.Input, train.Options{BatchSize: 2})
		if err == nil || !strings.Contains(err.Error(), op) {
			t.Errorf("%s with native lowering on the pure-Go backend: got %v, want an error naming it", op, err)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	e := pureGo()
	good := opArchs()["dense"]
	unknown := &graph.Arch{Input: graph.Shape{4}}
	x := unknown.Add(graph.OpInput, nil)
	x = unknown.Add("softplus", nil, x)
	unknown.Add(graph.OpOutput, attrs{"units": 2}, x)
	noHead := &graph.Arch{Input: graph.Shape{4}}
	noHead.Add(graph.OpDense, attrs{"units": 2}, noHead.Add(graph.OpInput, nil))
	for _, tc := range []struct {
		name string
		a    *graph.Arch
		in   graph.Shape
		o    train.Options
		want string
	}{
		{"unknown op", unknown, graph.Shape{4}, train.Options{}, "softplus"},
		{"shape mismatch", good, graph.Shape{13}, train.Options{}, "shape"},
		{"no head", noHead, graph.Shape{4}, train.Options{}, "output"},
		{"bad optimizer", good, good.Input, train.Options{Optimizer: "lbfgs"}, "lbfgs"},
		{"bad lowering", good, good.Input, train.Options{}, "lowering"},
	} {
		eng := e
		if tc.name == "bad lowering" {
			eng = &Engine{Device: CPU, Plugin: PureGo, Lowering: "winograd"}
		}
		_, err := eng.Build(tc.a, tc.in, tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error mentioning %q", tc.name, err, tc.want)
		}
	}
	// Bad labels and sizes come back as errors, not panics.
	net, err := e.Build(good, good.Input, train.Options{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	xs, _ := batchOf(good, 2, 1)
	if _, err := net.TrainStep(xs, []int{0, 10}); err == nil {
		t.Error("label 10 of 10 classes: no error")
	}
	if _, err := net.TrainStep(xs[:3], []int{0, 1}); err == nil {
		t.Error("short batch: no error")
	}
	if err := net.Predict(xs, 3, make([]int, 3)); err == nil {
		t.Error("count > batch: no error")
	}
}

// TestDropout: masks follow the seed, zero about the rate's share of a
// layer in training, and are off in inference.
func TestDropout(t *testing.T) {
	e := pureGo()
	o := train.Options{BatchSize: 16, Seed: 5}
	a := dropoutArch(500)
	l1, p1 := curve(t, e, a, o, 4)
	l2, p2 := curve(t, e, a, o, 4)
	if !slices.Equal(l1, l2) || !slices.Equal(p1, p2) {
		t.Errorf("same seed, different runs: %v %v vs %v %v", l1, p1, l2, p2)
	}
	o.Seed = 6
	if l3, _ := curve(t, e, a, o, 4); slices.Equal(l1, l3) {
		t.Error("another seed gave the same losses")
	}
	// The mask itself, on the backend: ones in, the kept share out.
	m, err := newModel(a, a.Input, train.Options{BatchSize: 64, Optimizer: train.Adam}, LowerGather)
	if err != nil {
		t.Fatal(err)
	}
	be, _ := openBackend(CPU, "")
	rng, _ := RNGStateFromSeed(1)
	for _, training := range []bool{true, false} {
		out := MustExecOnceN(be.b, func(x, r *Node) []*Node {
			p := &pass{m: m, g: x.Graph(), training: training, rng: r, vals: make([]*Node, len(a.Nodes))}
			p.vals[1] = x
			v, err := p.node(2, nil)
			if err != nil {
				panic(err)
			}
			return []*Node{MulScalar(v, 1)}
		}, tensors.FromScalarAndDimensions(float32(1), 64, 64), rng)
		var kept, sum float64
		tensors.MustConstFlatData(out[0], func(d []float32) {
			for _, v := range d {
				sum += float64(v)
				if v != 0 {
					kept++
				}
			}
		})
		n := 64.0 * 64
		if training && (math.Abs(kept/n-0.5) > 0.05) {
			t.Errorf("training: kept %.3f of the values, want about 0.5", kept/n)
		}
		if !training && sum != n {
			t.Errorf("inference on ones summed to %v, want %v (identity)", sum, n)
		}
		if training && math.Abs(sum/n-1) > 0.1 {
			t.Errorf("training: mean %.3f, want about 1 (kept values scaled by 2)", sum/n)
		}
	}
}

// TestCheckpointRestore: Restore goes back to the checkpoint's weights,
// and training goes on from there.
func TestCheckpointRestore(t *testing.T) {
	a := opArchs()["batchnorm2d"]
	net, err := pureGo().Build(a, a.Input, train.Options{BatchSize: 8, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	x, y := batchOf(a, 8, 2)
	step := func() float64 {
		l, err := net.TrainStep(x, y)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	step()
	net.Checkpoint()
	w0 := net.(*Network).Weights()
	l1 := step()
	step()
	net.Restore()
	if w := net.(*Network).Weights(); !equalWeights(w, w0) {
		t.Fatal("Restore did not bring back the checkpoint's weights")
	}
	// The step after a restore starts from the same weights and
	// statistics as the step after the checkpoint (the optimizer state
	// differs, so only the loss, computed before the update, matches).
	if l := step(); l != l1 {
		t.Errorf("loss after restore %v, after checkpoint %v", l, l1)
	}
	net.Checkpoint()
	net.Checkpoint() // twice: the first one's tensors are freed, not the current ones
	step()
	net.Restore()
	step()
}

func equalWeights(a, b [][]float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// TestInitialWeights: the network starts from InitialWeights, which
// depend only on the seed.
func TestInitialWeights(t *testing.T) {
	a := opArchs()["cell_nb201"]
	w1, err := InitialWeights(a, 9)
	if err != nil {
		t.Fatal(err)
	}
	w2, _ := InitialWeights(a, 9)
	w3, _ := InitialWeights(a, 10)
	if !equalWeights(w1, w2) || equalWeights(w1, w3) {
		t.Fatal("InitialWeights does not follow the seed")
	}
	net, err := pureGo().Build(a, a.Input, train.Options{BatchSize: 2, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	if !equalWeights(net.(*Network).Weights(), w1) {
		t.Error("the built network does not start from InitialWeights")
	}
}

// TestCache: networks of one architecture share a compiled program
// whatever their seed and hyperparameters; other batch sizes or
// optimizers get their own; the cache keeps at most CacheSize.
func TestCache(t *testing.T) {
	e := &Engine{Device: CPU, Plugin: PureGo, CacheSize: 2}
	a := opArchs()["relu"]
	build := func(o train.Options) *Network {
		t.Helper()
		n, err := e.Build(a, a.Input, o)
		if err != nil {
			t.Fatal(err)
		}
		x, y := batchOf(a, n.Batch(), 1)
		if _, err := n.TrainStep(x, y); err != nil {
			t.Fatal(err)
		}
		return n.(*Network)
	}
	n1 := build(train.Options{BatchSize: 4, Seed: 1})
	n2 := build(train.Options{BatchSize: 4, Seed: 2, LearningRate: 0.01, WeightDecay: 0.1})
	if n1.Stats().CacheHit || !n2.Stats().CacheHit {
		t.Errorf("cache hits %v, %v; want false, true", n1.Stats().CacheHit, n2.Stats().CacheHit)
	}
	if n1.Stats().FirstStep <= 0 {
		t.Error("no compile time recorded")
	}
	n3 := build(train.Options{BatchSize: 8, Seed: 1})
	n4 := build(train.Options{BatchSize: 4, Seed: 1, Optimizer: train.SGD})
	if n3.Stats().CacheHit || n4.Stats().CacheHit {
		t.Error("another batch size or optimizer hit the cache")
	}
	if e.CacheLen() != 2 {
		t.Errorf("cache holds %d programs, want 2", e.CacheLen())
	}
	// n1's program was evicted while n1 and n2 use it: they still train.
	x, y := batchOf(a, 4, 1)
	for _, n := range []*Network{n1, n2, n3, n4} {
		if n.Batch() == 4 {
			if _, err := n.TrainStep(x, y); err != nil {
				t.Fatal(err)
			}
		}
		n.Close()
	}
}

// TestLoadTrain: training on device-resident data by indices gives the
// same losses as sending the same batches.
func TestLoadTrain(t *testing.T) {
	a := opArchs()["conv3x3"]
	o := train.Options{BatchSize: 4, Seed: 4}
	xs, ys := batchOf(a, 12, 7)
	order := [][]int{{3, 1, 4, 0}, {5, 9, 2, 6}, {11, 8, 7, 10}}
	size := a.Input.Size()
	viaSteps, viaIdx := buildNet(t, a, o), buildNet(t, a, o)
	defer viaSteps.Close()
	defer viaIdx.Close()
	if err := viaIdx.LoadTrain(xs, ys); err != nil {
		t.Fatal(err)
	}
	for _, idx := range order {
		x, y := make([]float32, 0, 4*size), make([]int, 0, 4)
		for _, i := range idx {
			x = append(x, xs[i*size:(i+1)*size]...)
			y = append(y, ys[i])
		}
		l1, err := viaSteps.TrainStep(x, y)
		if err != nil {
			t.Fatal(err)
		}
		l2, err := viaIdx.TrainIndices(idx)
		if err != nil {
			t.Fatal(err)
		}
		if l1 != l2 {
			t.Errorf("batch %v: loss %v by TrainStep, %v by TrainIndices", idx, l1, l2)
		}
	}
	if _, err := viaIdx.TrainIndices([]int{0, 1, 2, 12}); err == nil {
		t.Error("index 12 of 12 samples: no error")
	}
}

func buildNet(t *testing.T, a *graph.Arch, o train.Options) *Network {
	t.Helper()
	n, err := pureGo().Build(a, a.Input, o)
	if err != nil {
		t.Fatal(err)
	}
	return n.(*Network)
}

// TestNativeForwardMatchesGather: the pure-Go backend has the native
// convolution and window reductions' forward passes (not their
// gradients), so inference can check the native lowering on the CPU.
func TestNativeForwardMatchesGather(t *testing.T) {
	be, err := openBackend(CPU, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range opArchNames() {
		a := opArchs()[name]
		x, _ := batchOf(a, 4, 5)
		var logits [2][]float32
		for k, low := range []Lowering{LowerNative, LowerGather} {
			m, err := newModel(a, a.Input, train.Options{BatchSize: 4, Optimizer: train.Adam}, low)
			if err != nil {
				t.Fatal(err)
			}
			args := []any{tensors.FromFlatDataAndDimensions(x, m.batched(a.Input)...)}
			for i, w := range m.initParams(1) {
				args = append(args, tensors.FromFlatDataAndDimensions(w, m.params[i].shape...))
			}
			for _, i := range m.bnNodes {
				c := m.shapes[i][0]
				args = append(args, tensors.FromFlatDataAndDimensions(make([]float32, c), c), tensors.FromScalarAndDimensions(float32(1), c))
			}
			np := len(m.params)
			out, err := MustNewExec(be.b, func(in []*Node) *Node {
				p := &pass{m: m, g: in[0].Graph(), params: in[1 : 1+np], bn: in[1+np:]}
				l, err := p.forward(in[0])
				if err != nil {
					panic(err)
				}
				return l
			}).Exec(args...)
			if err != nil {
				t.Fatalf("%s, %s: %v", name, low, err)
			}
			logits[k] = tensors.MustCopyFlatData[float32](out[0])
		}
		for i := range logits[0] {
			if d := math.Abs(float64(logits[0][i] - logits[1][i])); d > 1e-4*max(1, math.Abs(float64(logits[1][i]))) {
				t.Errorf("%s: logit %d: %v native, %v gather", name, i, logits[0][i], logits[1][i])
				break
			}
		}
	}
}
