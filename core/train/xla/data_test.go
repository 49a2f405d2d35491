package xla

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/data"
)

// TestSharedData: networks of one engine that load the same slices share
// one device copy, kept for the next network; changed data is a new copy.
func TestSharedData(t *testing.T) {
	e := pureGo()
	a := opArchs()["dense"]
	o := train.Options{BatchSize: 4, Seed: 1}
	xs, ys := batchOf(a, 16, 2)
	build := func() *Network {
		n, err := e.Build(a, a.Input, o)
		if err != nil {
			t.Fatal(err)
		}
		return n.(*Network)
	}
	n1, n2 := build(), build()
	for _, n := range []*Network{n1, n2} {
		if err := n.LoadTrain(xs, ys); err != nil {
			t.Fatal(err)
		}
	}
	if n1.data != n2.data || e.ResidentData() != 1 {
		t.Fatalf("two networks loading the same slices: %d copies on the device, want 1", e.ResidentData())
	}
	n1.Close()
	n2.Close()
	if e.ResidentData() != 1 {
		t.Fatalf("after closing both: %d copies, want 1 kept for the next network", e.ResidentData())
	}
	n3 := build()
	defer n3.Close()
	if err := n3.LoadTrain(xs, ys); err != nil {
		t.Fatal(err)
	}
	kept := n3.data
	if kept == nil || kept.refs != 1 {
		t.Fatalf("the kept copy was not reused")
	}

	// Refilled in place: not the kept copy.
	xs[len(xs)/2] += 1
	n4 := build()
	defer n4.Close()
	if err := n4.LoadTrain(xs, ys); err != nil {
		t.Fatal(err)
	}
	if n4.data == kept || e.ResidentData() != 2 {
		t.Errorf("changed data shared the old copy (%d copies)", e.ResidentData())
	}
	// Releasing both keeps only the most recent.
	last := n4.data
	n3.Close()
	n4.Close()
	if e.ResidentData() != 1 {
		t.Errorf("%d copies kept, want 1 (KeepData)", e.ResidentData())
	}
	if e.data[last.key] != last {
		t.Error("the most recently released copy was not the one kept")
	}
}

// TestLoadTrainLabels: labels outside the network's classes are errors
// naming the sample.
func TestLoadTrainLabels(t *testing.T) {
	a := opArchs()["dense"]
	n := buildNet(t, a, train.Options{BatchSize: 4, Seed: 1})
	defer n.Close()
	xs, ys := batchOf(a, 8, 3)
	ys[5] = 99
	err := n.LoadTrain(xs, ys)
	if err == nil || !strings.Contains(err.Error(), "label 5 is 99") {
		t.Errorf("label 99: %v", err)
	}
	ys[5] = -1
	if err := n.LoadTrain(xs, ys); err == nil || !strings.Contains(err.Error(), "label 5 is -1") {
		t.Errorf("label -1: %v", err)
	}
}

// TestQueuedSteps: queued steps train exactly as waited-for ones, and
// TakeLoss returns the sum of their losses.
func TestQueuedSteps(t *testing.T) {
	archs := opArchs()
	archs["dropout"] = dropoutArch(500)
	for _, name := range []string{"dense", "batchnorm2d", "dropout"} {
		a := archs[name]
		o := train.Options{BatchSize: 4, Seed: 5}
		xs, ys := batchOf(a, 12, 7)
		waited, queued := buildNet(t, a, o), buildNet(t, a, o)
		for _, n := range []*Network{waited, queued} {
			if err := n.LoadTrain(xs, ys); err != nil {
				t.Fatal(err)
			}
		}
		var want float64
		for s := range 7 {
			idx := []int{s % 12, (s + 3) % 12, (s + 5) % 12, (s + 8) % 12}
			l, err := waited.TrainIndices(idx)
			if err != nil {
				t.Fatal(err)
			}
			want += l
			if err := queued.QueueIndices(idx); err != nil {
				t.Fatal(err)
			}
		}
		got, steps, err := queued.TakeLoss()
		if err != nil {
			t.Fatal(err)
		}
		if steps != 7 || math.Abs(got-want) > 1e-5*max(1, want) {
			t.Errorf("%s: TakeLoss %v over %d steps, want %v over 7", name, got, steps, want)
		}
		if again, steps, _ := queued.TakeLoss(); again != 0 || steps != 0 {
			t.Errorf("%s: a second TakeLoss %v over %d steps, want 0", name, again, steps)
		}
		ww, wq := waited.Weights(), queued.Weights()
		for k := range ww {
			for i := range ww[k] {
				if ww[k][i] != wq[k][i] {
					t.Fatalf("%s: weight %d[%d]: %v waited, %v queued", name, k, i, ww[k][i], wq[k][i])
				}
			}
		}
		if err := queued.QueueIndices([]int{0, 1, 2, 12}); err == nil {
			t.Errorf("%s: index 12 of 12 samples: no error", name)
		}
		waited.Close()
		queued.Close()
		if err := queued.QueueIndices([]int{0, 1, 2, 3}); err == nil {
			t.Errorf("%s: a step on a closed network: no error", name)
		}
	}
}

// residentOnly hides QueuedSteps from the Trainer.
type residentOnly struct {
	train.Network
	train.DataResident
}

type residentEngine struct{ *Engine }

func (e residentEngine) Build(a *graph.Arch, in graph.Shape, o train.Options) (train.Network, error) {
	n, err := e.Engine.Build(a, in, o)
	if err != nil {
		return nil, err
	}
	return residentOnly{n, n.(*Network)}, nil
}

// countQueued counts the steps the Trainer queues.
type countQueued struct {
	*Network
	queued *int
}

func (c countQueued) QueueIndices(idx []int) error { *c.queued++; return c.Network.QueueIndices(idx) }

type countEngine struct {
	*Engine
	queued *int
}

func (e countEngine) Build(a *graph.Arch, in graph.Shape, o train.Options) (train.Network, error) {
	n, err := e.Engine.Build(a, in, o)
	if err != nil {
		return nil, err
	}
	return countQueued{n.(*Network), e.queued}, nil
}

// TestTrainerQueued: the Trainer's results are the same whether it queues
// steps (reading losses every LossEvery steps) or waits for each.
func TestTrainerQueued(t *testing.T) {
	d, err := data.Load(data.NameDigits, data.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	a := &graph.Arch{Input: d.Shape()}
	x := a.Add(graph.OpInput, nil)
	x = a.Add(graph.OpFlatten, nil, x)
	x = a.Add(graph.OpDense, map[string]int{"units": 16}, x)
	x = a.Add(graph.OpReLU, nil, x)
	a.Add(graph.OpOutput, map[string]int{"units": 10}, x)
	o := train.Options{Epochs: 2, BatchSize: 16, Seed: 3}
	run := func(e train.Engine) *train.Result {
		tr, err := train.NewTrainer(e, d, o)
		if err != nil {
			t.Fatal(err)
		}
		res, err := tr.Train(context.Background(), a, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	var queued int
	q, w := run(countEngine{pureGo(), &queued}), run(residentEngine{pureGo()})
	if queued != q.Steps {
		t.Errorf("the Trainer queued %d of %d steps", queued, q.Steps)
	}
	if math.Abs(q.Loss-w.Loss) > 1e-5 || q.ValAcc != w.ValAcc || q.TestAcc != w.TestAcc || q.Steps != w.Steps {
		t.Errorf("queued: loss %v, val %v, test %v, %d steps; waited: loss %v, val %v, test %v, %d steps",
			q.Loss, q.ValAcc, q.TestAcc, q.Steps, w.Loss, w.ValAcc, w.TestAcc, w.Steps)
	}
	if q.Steps < 2*train.LossEvery {
		t.Errorf("%d steps: too few to read the loss mid-epoch", q.Steps)
	}
}

// TestEvalAhead: a new architecture's inference program compiles in the
// background after Build (not with NoEvalAhead).
func TestEvalAhead(t *testing.T) {
	a := opArchs()["conv3x3"]
	for _, ahead := range []bool{true, false} {
		e := pureGo()
		e.NoEvalAhead = !ahead
		n, err := e.Build(a, a.Input, train.Options{BatchSize: 4, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		net := n.(*Network)
		compiled := func() bool {
			net.prog.mu.Lock()
			defer net.prog.mu.Unlock()
			return net.prog.evalCompiled
		}
		deadline := time.Now().Add(20 * time.Second)
		for ahead && !compiled() && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		if compiled() != ahead {
			t.Errorf("ahead %v: inference compiled before the first Predict: %v", ahead, compiled())
		}
		x, _ := batchOf(a, 4, 1)
		if err := n.Predict(x, 4, make([]int, 4)); err != nil {
			t.Fatal(err)
		}
		if !compiled() || net.Stats().FirstEval <= 0 {
			t.Errorf("ahead %v: after Predict: compiled %v, first eval %v", ahead, compiled(), net.Stats().FirstEval)
		}
		n.Close()
	}
}

// concurrentMatchesSequential trains networks of several architectures
// and seeds at once on one engine, as a search with parallel > 1 does on
// one GPU, and checks that each ends with the weights and losses it gets
// alone.
func concurrentMatchesSequential(t *testing.T, e *Engine) {
	archs := opArchs()
	names := []string{"conv3x3", "maxpool2", "batchnorm2d", "conv3x3"}
	xs, ys := batchOf(archs["conv3x3"], 32, 9)
	type out struct {
		loss    float64
		weights [][]float32
		err     error
	}
	run := func(i int) out {
		a := archs[names[i]]
		n, err := e.Build(a, a.Input, train.Options{BatchSize: 8, Seed: int64(20 + i)})
		if err != nil {
			return out{err: err}
		}
		defer n.Close()
		net := n.(*Network)
		if err := net.LoadTrain(xs, ys); err != nil {
			return out{err: err}
		}
		for s := range 12 {
			idx := []int{s, s + 1, s + 2, s + 3, s + 4, s + 5, s + 6, s + 7}
			if err := net.QueueIndices(idx); err != nil {
				return out{err: err}
			}
		}
		l, _, err := net.TakeLoss()
		return out{loss: l, weights: net.Weights(), err: err}
	}
	want := make([]out, len(names))
	for i := range names {
		if want[i] = run(i); want[i].err != nil {
			t.Fatal(want[i].err)
		}
	}
	got := make([]out, len(names))
	done := make(chan int)
	for i := range names {
		go func() { got[i] = run(i); done <- i }()
	}
	for range names {
		<-done
	}
	for i := range names {
		if got[i].err != nil {
			t.Fatalf("%s: %v", names[i], got[i].err)
		}
		if got[i].loss != want[i].loss {
			t.Errorf("%s (seed %d): loss %v at once, %v alone", names[i], 20+i, got[i].loss, want[i].loss)
		}
		for k := range want[i].weights {
			if !slices.Equal(got[i].weights[k], want[i].weights[k]) {
				t.Errorf("%s: weights %d differ at once and alone", names[i], k)
				break
			}
		}
	}
}

// TestConcurrentNetworks: networks train at once on one engine as they do
// alone (pure-Go backend; TestConcurrentNetworksNative on XLA).
func TestConcurrentNetworks(t *testing.T) { concurrentMatchesSequential(t, pureGo()) }
