package gorgonia

import (
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/morphml/morphml/core/train"
)

// gorgoniaSolver runs one of gorgonia's own solvers, for comparison.
type gorgoniaSolver struct{ s G.Solver }

func (g gorgoniaSolver) step(params G.Nodes) error { return g.s.Step(G.NodesToValueGrads(params)) }

// The one-pass solvers give, bit for bit, the losses of gorgonia's solvers
// they replace (SGD without weight decay: gorgonia decays the velocity, not
// the weights).
func TestSolversMatchGorgonia(t *testing.T) {
	for _, c := range []struct {
		name string
		o    train.Options
		ref  func(o train.Options) G.Solver
	}{
		{"adam", train.Options{Seed: 1, BatchSize: 16, LearningRate: 0.001},
			func(o train.Options) G.Solver { return G.NewAdamSolver(G.WithLearnRate(o.LearningRate)) }},
		{"adam+l2", train.Options{Seed: 1, BatchSize: 16, LearningRate: 0.003, WeightDecay: 0.01},
			func(o train.Options) G.Solver {
				return G.NewAdamSolver(G.WithLearnRate(o.LearningRate), G.WithL2Reg(o.WeightDecay))
			}},
		{"sgd", train.Options{Seed: 1, BatchSize: 16, Optimizer: train.SGD, LearningRate: 0.05, Momentum: 0.9},
			func(o train.Options) G.Solver {
				return G.NewMomentum(G.WithLearnRate(o.LearningRate), G.WithMomentum(o.Momentum))
			}},
	} {
		for _, model := range []string{"mlp", "cell"} {
			a, err := train.ReferenceArch(model)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := New().Build(a, a.Input, c.o)
			if err != nil {
				t.Fatal(err)
			}
			theirs, err := New().Build(a, a.Input, c.o)
			if err != nil {
				t.Fatal(err)
			}
			theirs.(*network).solver = gorgoniaSolver{c.ref(c.o)}
			r := rand.New(rand.NewPCG(1, 2))
			x := make([]float32, ours.Batch()*a.Input.Size())
			y := make([]int, ours.Batch())
			for step := range 4 {
				for i := range x {
					x[i] = float32(r.NormFloat64())
				}
				for i := range y {
					y[i] = r.IntN(10)
				}
				l1, err1 := ours.TrainStep(x, y)
				l2, err2 := theirs.TrainStep(x, y)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				if l1 != l2 {
					t.Fatalf("%s %s step %d: loss %v, gorgonia's solver %v", c.name, model, step, l1, l2)
				}
			}
			ours.Close()
			theirs.Close()
		}
	}
}

func TestMomentumDecaysTheWeights(t *testing.T) {
	a, _ := train.ReferenceArch("mlp")
	net, err := New().Build(a, a.Input, train.Options{Seed: 1, BatchSize: 8, Optimizer: train.SGD, LearningRate: 0.1, Momentum: 0.5, WeightDecay: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	defer net.Close()
	x := make([]float32, net.Batch()*a.Input.Size())
	if _, err := net.TrainStep(x, make([]int, net.Batch())); err != nil { // makes the gradients
		t.Fatal(err)
	}
	n := net.(*network)
	n.solver = newMomentum(0.1, 0.5, 0.5, 2) // a fresh velocity, the update split in two
	w, g, err := weightGrad(n.learn[0])
	if err != nil {
		t.Fatal(err)
	}
	before := append([]float32(nil), w...)
	clear(g) // a zero gradient: only the decay moves the weights
	if err := n.solver.step(n.learn); err != nil {
		t.Fatal(err)
	}
	for j := range w {
		// velocity = -lr * l2 * w; w += velocity
		want := before[j] + float32(float32(before[j]*0.5)*-0.1)
		if w[j] != want {
			t.Fatalf("weight %d: %v -> %v, want %v", j, before[j], w[j], want)
		}
	}
}
