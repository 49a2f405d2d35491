package xla

import (
	"os"
	"testing"

	"github.com/morphml/morphml/core/train"
)

// benchDevice is the device of the benchmarks: $MORPHML_BENCH_DEVICE
// (cpu, gpu, auto), cpu by default.
func benchDevice(b *testing.B) Device {
	d, err := ParseDevice(os.Getenv("MORPHML_BENCH_DEVICE"))
	if err != nil {
		b.Fatal(err)
	}
	if os.Getenv("MORPHML_BENCH_DEVICE") == "" {
		d = CPU
	}
	return d
}

// benchTrain trains a reference model with Adam at batch 64 on random data
// and reports samples/s, as core/train/gorgonia's benchmarks do, and the
// first step's time (compilation included) in ms.
func benchTrain(b *testing.B, name string) {
	a, err := train.ReferenceArch(name)
	if err != nil {
		b.Fatal(err)
	}
	e := New(benchDevice(b))
	if _, err := e.Backend(); err != nil {
		b.Skip(err)
	}
	net, err := e.Build(a, a.Input, train.Options{Seed: 1, BatchSize: 64})
	if err != nil {
		b.Fatal(err)
	}
	defer net.Close()
	x, y := batchOf(a, net.Batch(), 1)
	if _, err := net.TrainStep(x, y); err != nil { // compiles
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := net.TrainStep(x, y); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*net.Batch())/b.Elapsed().Seconds(), "samples/s")
	b.ReportMetric(float64(net.(*Network).Stats().FirstStep.Milliseconds()), "first-step-ms")
}

func BenchmarkTrainMLP(b *testing.B)  { benchTrain(b, "mlp") }
func BenchmarkTrainCNN(b *testing.B)  { benchTrain(b, "cnn") }
func BenchmarkTrainCell(b *testing.B) { benchTrain(b, "cell") }
