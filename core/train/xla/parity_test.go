package xla

import (
	"math"
	"testing"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/gorgonia"
)

// curve trains a fresh network of the engine on one fixed batch for n
// steps and returns the losses and the final predictions.
func curve(t *testing.T, e train.Engine, a *graph.Arch, o train.Options, n int) ([]float64, []int) {
	t.Helper()
	net, err := e.Build(a, a.Input, o)
	if err != nil {
		t.Fatalf("%s: %v", e.Name(), err)
	}
	defer net.Close()
	x, y := batchOf(a, net.Batch(), 3)
	var losses []float64
	for range n {
		l, err := net.TrainStep(x, y)
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		losses = append(losses, l)
	}
	pred := make([]int, net.Batch())
	if err := net.Predict(x, net.Batch(), pred); err != nil {
		t.Fatalf("%s: %v", e.Name(), err)
	}
	return losses, pred
}

// Tolerances of the parity test, relative to max(1, |loss|), for losses
// of order 1-3 over parityStepsN steps.
//
// The first loss depends only on the initial weights and the batch: both
// engines draw the same weights, so it differs only by float32 rounding in
// another order of summation (gorgonia accumulates the cross-entropy in
// float64, GoMLX in float32). Measured on the pure-Go backend: at most
// 1e-7; the bound is 1e-5.
//
// Later losses also carry the updates. Adam divides each gradient by its
// running RMS, so a gradient element that is zero up to rounding can move
// by a fair part of the learning rate in either engine, and differences
// grow with the steps. Measured over 20 steps: at most 2.6e-5; the bound,
// 2e-4, leaves 8x room. It still catches real differences: Adam's beta2 at
// 0.99 instead of 0.999 fails 8 of the 36 curves, batch norm's epsilon at
// 1e-4 instead of 1e-5 fails 4, GELU's 1/sqrt(2) written 0.7 fails both of
// its curves. On XLA (GPU: other reduction orders) the same
// bounds are expected to hold (TestParityGPU checks them there).
const (
	tolFirst = 1e-5
	tolLater = 2e-4
)

// pureGo is an engine on GoMLX's pure-Go backend, whatever the
// environment says.
func pureGo() *Engine { return &Engine{Device: CPU, Plugin: PureGo} }

// TestParityWithGorgonia trains every op's architecture with the same seed
// on both engines (xla on the pure-Go backend) and compares the loss
// curves step by step.
func TestParityWithGorgonia(t *testing.T) { parity(t, pureGo()) }

// parity trains every op's architecture with Adam (with weight decay) and
// with SGD with momentum on e and on the gorgonia engine, from the same
// seed, and compares the loss curves and the final predictions.
func parity(t *testing.T, e *Engine) {
	archs := opArchs()
	for _, name := range opArchNames() {
		a := archs[name]
		t.Run(name, func(t *testing.T) {
			for _, o := range []train.Options{
				{Optimizer: train.Adam, BatchSize: 8, Seed: 11, WeightDecay: 1e-4},
				{Optimizer: train.SGD, BatchSize: 8, Seed: 12, LearningRate: 0.01, Momentum: 0.9},
			} {
				want, wantPred := curve(t, gorgonia.New(), a, o, parityStepsN)
				got, gotPred := curve(t, e, a, o, parityStepsN)
				compareCurves(t, string(o.Optimizer), got, want)
				same := 0
				for i := range wantPred {
					if gotPred[i] == wantPred[i] {
						same++
					}
				}
				if same < len(wantPred)-1 { // a near tie may flip one
					t.Errorf("%s: predictions %v (xla) vs %v (gorgonia)", o.Optimizer, gotPred, wantPred)
				}
			}
		})
	}
}

// parityStepsN is the length of the compared loss curves.
const parityStepsN = 20

// compareCurves checks two loss curves against the tolerances and logs the
// largest differences.
func compareCurves(t *testing.T, what string, got, want []float64) {
	t.Helper()
	worst := [2]float64{}
	for i := range want {
		d := math.Abs(got[i]-want[i]) / max(1, math.Abs(want[i]))
		worst[min(i, 1)] = max(worst[min(i, 1)], d)
		tol := tolLater
		if i == 0 {
			tol = tolFirst
		}
		if !(d <= tol) {
			t.Errorf("%s: step %d: loss %.7f (xla) vs %.7f (gorgonia): relative difference %.2g > %g\nxla:      %v\ngorgonia: %v",
				what, i+1, got[i], want[i], d, tol, got, want)
			return
		}
	}
	t.Logf("%s: largest relative loss difference: first step %.2g, later %.2g", what, worst[0], worst[1])
}
