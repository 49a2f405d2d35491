package gorgonia

import (
	"math/rand/v2"
	"testing"

	"github.com/morphml/morphml/core/train"
)

// benchTrain trains a reference model with Adam at batch 64 on random data
// and reports samples/s.
func benchTrain(b *testing.B, name string) {
	a, err := train.ReferenceArch(name)
	if err != nil {
		b.Fatal(err)
	}
	net, err := New().Build(a, a.Input, train.Options{Seed: 1, BatchSize: 64})
	if err != nil {
		b.Fatal(err)
	}
	defer net.Close()
	bs := net.Batch()
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, bs*a.Input.Size())
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y := make([]int, bs)
	for i := range y {
		y[i] = r.IntN(10)
	}
	if _, err := net.TrainStep(x, y); err != nil { // warm up
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := net.TrainStep(x, y); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*bs)/b.Elapsed().Seconds(), "samples/s")
}

func BenchmarkTrainMLP(b *testing.B)  { benchTrain(b, "mlp") }
func BenchmarkTrainCNN(b *testing.B)  { benchTrain(b, "cnn") }
func BenchmarkTrainCell(b *testing.B) { benchTrain(b, "cell") }
