package xla

import (
	"testing"

	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/gorgonia"
)

// gpuEngine returns an engine on the GPU, or skips the test saying why.
func gpuEngine(t *testing.T) *Engine {
	t.Helper()
	if testing.Short() {
		t.Skip("GPU tests are skipped with -short")
	}
	e := New(GPU)
	if _, err := e.Backend(); err != nil {
		t.Skipf("no GPU: %v", err)
	}
	return e
}

// TestParityGPU is TestParityWithGorgonia on the CUDA plugin with the
// native lowering (ConvGeneral, ReduceWindow, SelectAndScatter): the check
// the pure-Go backend cannot make for the native gradients.
func TestParityGPU(t *testing.T) {
	e := gpuEngine(t)
	archs := opArchs()
	for _, name := range opArchNames() {
		a := archs[name]
		t.Run(name, func(t *testing.T) {
			for _, o := range []train.Options{
				{Optimizer: train.Adam, BatchSize: 8, Seed: 11, WeightDecay: 1e-4},
				{Optimizer: train.SGD, BatchSize: 8, Seed: 12, LearningRate: 0.01, Momentum: 0.9},
			} {
				want, _ := curve(t, gorgonia.New(), a, o, parityStepsN)
				got, _ := curve(t, e, a, o, parityStepsN)
				compareCurves(t, string(o.Optimizer), got, want)
			}
		})
	}
}

// TestGPUUsesNativeLowering: on an XLA plugin, Auto picks the native ops.
func TestGPUUsesNativeLowering(t *testing.T) {
	e := gpuEngine(t)
	a := opArchs()["conv3x3"]
	n, err := e.Build(a, a.Input, train.Options{BatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if got := n.(*Network).Stats().Lowering; got != LowerNative {
		t.Errorf("lowering %q on the GPU, want %q", got, LowerNative)
	}
}
