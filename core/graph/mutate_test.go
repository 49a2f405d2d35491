package graph

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

func smallCNN() *Arch {
	return chain(Shape{1, 28, 28},
		Node{Op: OpConv2D, Name: "conv_1", Attrs: at{"filters": 8, "kernel": 3}},
		Node{Op: OpReLU, Name: "relu_1"},
		Node{Op: OpMaxPool, Name: "pool_1", Attrs: at{"pool": 2}},
		Node{Op: OpConv2D, Name: "conv_2", Attrs: at{"filters": 16, "kernel": 3}},
		Node{Op: OpReLU, Name: "relu_2"},
		Node{Op: OpGlobalAvg, Name: "gap"},
		Node{Op: OpDense, Name: "dense_1", Attrs: at{"units": 32}},
		Node{Op: OpDropout, Name: "dropout_1", Attrs: at{"rate_permille": 200}},
		Node{Op: OpOutput, Name: "out", Attrs: at{"units": 10}},
	)
}

func TestMutate(t *testing.T) {
	parent := smallCNN()
	before := Hash(parent)
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := map[string]int{}
	for range 300 {
		child, err := Mutate(parent, rng)
		if err != nil {
			t.Fatal(err)
		}
		if err := Validate(child); err != nil {
			t.Fatalf("invalid child: %v", err)
		}
		desc := child.Labels[MutationLabel]
		kinds[strings.Fields(desc)[0]]++
		if Hash(child) == before && !strings.HasPrefix(desc, "insert") {
			t.Errorf("%s: child hashes like its parent", desc)
		}
		if child.Nodes[len(child.Nodes)-1].Attrs["units"] != 10 {
			t.Errorf("%s: output units changed", desc)
		}
	}
	if Hash(parent) != before {
		t.Fatal("Mutate changed its input")
	}
	for _, k := range []string{"set", "insert", "remove"} {
		if kinds[k] < 30 {
			t.Errorf("%d mutations of kind %q in 300: %v", kinds[k], k, kinds)
		}
	}
}

func TestMutateDeterministic(t *testing.T) {
	run := func() []string {
		rng := rand.New(rand.NewPCG(7, 7))
		a := smallCNN()
		var out []string
		for range 50 {
			var err error
			a, err = Mutate(a, rng)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, Hash(a))
		}
		return out
	}
	x, y := run(), run()
	for i := range x {
		if x[i] != y[i] {
			t.Fatalf("step %d differs", i)
		}
	}
}

func TestMutateEdits(t *testing.T) {
	a := smallCNN()
	for _, tc := range []struct {
		m    mutation
		want func(b *Arch) bool
	}{
		{mutation{kind: "insert", node: 2, op: OpBatchNorm}, func(b *Arch) bool {
			return len(b.Nodes) == len(a.Nodes)+1 && b.Nodes[3].Op == OpBatchNorm && b.Nodes[3].Inputs[0] == 2 &&
				b.Nodes[4].Inputs[0] == 3 && b.Nodes[5].Inputs[0] == 4 && b.Nodes[3].Name == "batchnorm_1"
		}},
		{mutation{kind: "remove", node: 2}, func(b *Arch) bool {
			return len(b.Nodes) == len(a.Nodes)-1 && b.Nodes[2].Op == OpMaxPool && b.Nodes[2].Inputs[0] == 1
		}},
		{mutation{kind: "attr", node: 1, attr: "filters", value: 4}, func(b *Arch) bool {
			return b.Nodes[1].Attrs["filters"] == 4 && a.Nodes[1].Attrs["filters"] == 8
		}},
	} {
		b := apply(a, tc.m)
		if !tc.want(b) || Validate(b) != nil {
			t.Errorf("%v: got %+v (%v)", tc.m, b.Nodes, Validate(b))
		}
	}
	// every candidate of a residual block either validates or is dropped
	r := newBuilder(Shape{4, 8, 8})
	c := r.n(OpConv2D, at{"filters": 4, "kernel": 3}, 0)
	res := r.out(r.n(OpAdd, nil, 0, c))
	rs, err := InferShapes(res)
	if err != nil || len(candidates(res, rs)) == 0 {
		t.Fatal("no candidates")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		child, err := Mutate(res, rng)
		if err != nil {
			t.Fatal(err)
		}
		if child.Labels[MutationLabel] == "set filters=8 on node 1" || child.Labels[MutationLabel] == "set filters=2 on node 1" {
			t.Fatalf("invalid mutation returned: %s", child.Labels[MutationLabel])
		}
	}
}

func TestMutateErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	if _, err := Mutate(chain(Shape{3}, Node{Op: OpConv2D}), rng); err == nil {
		t.Error("mutating an invalid architecture succeeded")
	}
	only := &Arch{Input: Shape{3}, Nodes: []Node{{Op: OpInput}}}
	if _, err := Mutate(only, rng); !errors.Is(err, ErrNoMutation) {
		t.Errorf("err = %v, want ErrNoMutation", err)
	}
}

func TestCrossover(t *testing.T) {
	a := smallCNN()
	b := chain(Shape{1, 28, 28},
		Node{Op: OpConv2D, Attrs: at{"filters": 8, "kernel": 5}},
		Node{Op: OpBatchNorm},
		Node{Op: OpReLU},
		Node{Op: OpAvgPool, Attrs: at{"pool": 2}},
		Node{Op: OpFlatten},
		Node{Op: OpDense, Attrs: at{"units": 64}},
		Node{Op: OpOutput, Attrs: at{"units": 10}},
	)
	ha, hb := Hash(a), Hash(b)
	rng := rand.New(rand.NewPCG(5, 6))
	seen := map[string]bool{}
	for range 100 {
		child, err := Crossover(a, b, rng)
		if err != nil {
			t.Fatal(err)
		}
		if err := Validate(child); err != nil || !IsChain(child) {
			t.Fatalf("child invalid: %v", err)
		}
		h := Hash(child)
		if h == ha || h == hb {
			t.Fatal("child copies a parent")
		}
		seen[h] = true
	}
	if len(seen) < 5 {
		t.Errorf("only %d distinct children", len(seen))
	}
	// determinism
	x, _ := Crossover(a, b, rand.New(rand.NewPCG(9, 9)))
	y, _ := Crossover(a, b, rand.New(rand.NewPCG(9, 9)))
	if Hash(x) != Hash(y) {
		t.Error("Crossover is not deterministic")
	}
	if Hash(a) != ha || Hash(b) != hb {
		t.Error("Crossover changed a parent")
	}
}

func TestCrossoverErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	r := newBuilder(Shape{4, 8, 8})
	res := r.out(r.n(OpAdd, nil, 0, r.n(OpReLU, nil, 0)))
	if _, err := Crossover(smallCNN(), res, rng); err == nil || !strings.Contains(err.Error(), "parent 2 is not a chain") {
		t.Errorf("err = %v", err)
	}
	vec := chain(Shape{5}, Node{Op: OpOutput, Attrs: at{"units": 2}})
	if _, err := Crossover(smallCNN(), vec, rng); !errors.Is(err, ErrNoMutation) {
		t.Errorf("err = %v, want ErrNoMutation", err)
	}
	if _, err := Crossover(chain(Shape{3}, Node{Op: OpDense}), vec, rng); err == nil {
		t.Error("crossover of an invalid parent succeeded")
	}
}
