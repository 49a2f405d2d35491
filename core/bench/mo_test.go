package bench

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestMultiObjectiveEvaluator(t *testing.T) {
	b := mustLoad(t)
	ev, err := b.MultiObjectiveEvaluator(CIFAR100)
	if err != nil {
		t.Fatal(err)
	}
	sp := space.NB201(100)
	for _, arch := range []int{0, 1234, 15624} {
		p, _ := space.ParseNB201(b.Arch(arch))
		a, err := sp.Decode(p)
		if err != nil {
			t.Fatal(err)
		}
		v, err := ev.Evaluate(context.Background(), a, nil)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := b.ValidationAccuracy(b.Arch(arch), CIFAR100)
		c, _ := graph.Count(a)
		if len(v) != 2 || v[0] != want || v[1] != float64(c.Params) {
			t.Errorf("arch %d: values %v, want [%v %v]", arch, v, want, c.Params)
		}
	}
	if _, err := b.MultiObjectiveEvaluator("mnist"); err == nil {
		t.Error("unknown dataset: no error")
	}
	if _, err := ev.Evaluate(context.Background(), nil, nil); err == nil {
		t.Error("nil architecture: no error")
	}
}

func TestRunNB201MO(t *testing.T) {
	cfg := NB201MOConfig{Budget: 30, Runs: 3, Seed: 5, Parallel: 2, Baseline: "random"}
	rep, err := RunNB201MO(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !(rep.OracleValHV > 0.5 && rep.OracleValHV < 1 && rep.OracleTestHV > 0.5 && rep.OracleTestHV < 1) {
		t.Errorf("oracle hypervolumes %v %v, want in (0.5, 1)", rep.OracleValHV, rep.OracleTestHV)
	}
	if rep.ValRef[1] != rep.TestRef[1] || rep.ValIdeal[1] >= rep.ValRef[1] || rep.ValIdeal[0] <= rep.ValRef[0] {
		t.Errorf("reference %v and ideal %v points", rep.ValRef, rep.ValIdeal)
	}
	for _, a := range []*NB201MOArm{&rep.Optimizer, rep.Baseline} {
		if len(a.ValHV) != cfg.Runs || a.Options == nil && a.Optimizer == "nsga2" {
			t.Fatalf("%s: %d runs, options %v", a.Optimizer, len(a.ValHV), a.Options)
		}
		for i := range a.ValHV {
			// A run's Pareto set is part of the table: it cannot beat the table.
			if !(a.ValHV[i] > 0 && a.ValHV[i] <= rep.OracleValHV) || !(a.TestHV[i] >= 0 && a.TestHV[i] < 1) || a.Front[i] < 1 {
				t.Errorf("%s run %d: hypervolumes %v %v, Pareto set of %d", a.Optimizer, i, a.ValHV[i], a.TestHV[i], a.Front[i])
			}
		}
	}
	again, err := RunNB201MO(context.Background(), NB201MOConfig{Budget: 30, Runs: 3, Seed: 5, Parallel: 1, Baseline: "random"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rep.Optimizer.ValHV {
		if again.Optimizer.ValHV[i] != rep.Optimizer.ValHV[i] || again.Baseline.TestHV[i] != rep.Baseline.TestHV[i] {
			t.Errorf("run %d differs when run again: %v %v vs %v %v", i, rep.Optimizer.ValHV[i], rep.Baseline.TestHV[i],
				again.Optimizer.ValHV[i], again.Baseline.TestHV[i])
		}
	}
	md := rep.Markdown()
	for _, want := range []string{"| nsga2 |", "| random |", "oracle", "30 queries, 3 runs (seeds 5..7)"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if _, err := RunNB201MO(context.Background(), NB201MOConfig{Optimizer: "nope", Runs: 1}, nil); err == nil {
		t.Error("unknown optimizer: no error")
	}
	if _, err := RunNB201MO(context.Background(), NB201MOConfig{Dataset: "mnist", Runs: 1}, nil); err == nil {
		t.Error("unknown dataset: no error")
	}
}

// The target: NSGA-II's Pareto front has a larger hypervolume than
// random search's at equal budget, on what both saw.
func TestNB201MOTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("30 runs per optimizer")
	}
	rep, err := RunNB201MO(context.Background(), NB201MOConfig{Budget: 100, Runs: 30, Baseline: "random"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.Markdown())
	o, b := rep.Optimizer, rep.Baseline
	se := math.Sqrt(o.ValStd*o.ValStd/30 + b.ValStd*b.ValStd/30)
	if d := o.ValMean - b.ValMean; d < 2*se {
		t.Errorf("NSGA-II's validation hypervolume %.4f does not beat random search's %.4f (± %.4f)", o.ValMean, b.ValMean, se)
	}
}

// front2D agrees with search.ParetoFront on random vectors with ties.
func TestFront2D(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		vs := make([][]float64, rng.IntN(30))
		for i := range vs {
			vs[i] = []float64{float64(rng.IntN(6)), float64(rng.IntN(6))}
		}
		want := search.ParetoFront(vs, NB201MODirections())
		if got := front2D(vs); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("front2D(%v) = %v, want %v", vs, got, want)
		}
	}
}
