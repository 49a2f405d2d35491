package xla

import (
	"os"
	"testing"

	"github.com/morphml/morphml/core/train"
)

// XLATestsEnv set to "require" makes the tests that need an XLA plugin
// fail, not skip, when no CPU plugin is found (make test sets it and
// installs one); the GPU still only runs where there is one.
const xlaTestsEnv = "MORPHML_XLA_TESTS"

// nativeEngines returns an engine per XLA PJRT plugin found, by name:
// "gpu" (the CUDA plugin) and "cpu" (an XLA CPU plugin). It skips the
// test, saying why, when there is none.
func nativeEngines(t *testing.T) map[string]*Engine {
	t.Helper()
	if testing.Short() {
		t.Skip("XLA plugin tests are skipped with -short")
	}
	out := map[string]*Engine{}
	var why []string
	if p, err := FindCUDAPlugin(); err == nil {
		e := &Engine{Device: GPU, Plugin: p}
		if _, err := e.Backend(); err == nil {
			out["gpu"] = e
		} else {
			why = append(why, err.Error())
		}
	} else {
		why = append(why, err.Error())
	}
	p, err := FindCPUPlugin()
	if err == nil {
		e := &Engine{Device: CPU, Plugin: p}
		if _, err = e.Backend(); err == nil {
			out["cpu"] = e
		}
	}
	if err != nil {
		if os.Getenv(xlaTestsEnv) == "require" {
			t.Fatalf("%s=require and no XLA CPU plugin: %v", xlaTestsEnv, err)
		}
		why = append(why, err.Error())
	}
	if len(out) == 0 {
		t.Skipf("no XLA plugin: set $%s or $%s (`make xla-cpu-plugin` installs XLA's CPU plugin into _build/xla-cpu); %d searches failed",
			CPUPluginEnv, PluginEnv, len(why))
	}
	return out
}

// TestParityNative is TestParityWithGorgonia on every XLA plugin found,
// with the native lowering (ConvGeneral, ReduceWindow, SelectAndScatter
// and their gradients): the check the pure-Go backend cannot make. On the
// XLA CPU plugin it runs in CI; on the CUDA plugin, on a GPU machine.
func TestParityNative(t *testing.T) {
	for dev, e := range nativeEngines(t) {
		t.Run(dev, func(t *testing.T) { parity(t, e) })
	}
}

// TestPluginUsesNativeLowering: on an XLA plugin, LowerAuto picks the
// native ops.
func TestPluginUsesNativeLowering(t *testing.T) {
	for dev, e := range nativeEngines(t) {
		a := opArchs()["conv3x3"]
		n, err := e.Build(a, a.Input, train.Options{BatchSize: 4})
		if err != nil {
			t.Fatal(err)
		}
		if got := n.(*Network).Stats().Lowering; got != LowerNative {
			t.Errorf("%s: lowering %q, want %q", dev, got, LowerNative)
		}
		n.Close()
	}
}

// TestConcurrentNetworksNative: several networks (architectures, seeds)
// train at once on one XLA plugin, sharing its compiled programs and one
// copy of the training set, and end as each does alone.
func TestConcurrentNetworksNative(t *testing.T) {
	for dev, e := range nativeEngines(t) {
		t.Run(dev, func(t *testing.T) { concurrentMatchesSequential(t, e) })
	}
}

// TestAcceleratorSharedNative: every search of a process gets the same
// GPU engine (its compiled programs and data). Without a CUDA plugin,
// $MORPHML_XLA_PLUGIN names the CPU plugin for the test.
func TestAcceleratorSharedNative(t *testing.T) {
	if _, err := FindCUDAPlugin(); err != nil {
		if p, err := FindCPUPlugin(); err == nil {
			t.Setenv(PluginEnv, p)
		}
	}
	a, err := train.OpenAccelerator("gpu")
	if err != nil {
		t.Skipf("no GPU engine: %v", err)
	}
	b, err := train.OpenAccelerator("auto")
	if err != nil || a != b {
		t.Errorf("gpu then auto: %p and %p (%v), want the same engine", a, b, err)
	}
}
