package graph

import (
	"strings"
	"testing"
)

// builder helps write small DAGs: b.n(op, attrs, inputs...) returns the index.
type builder struct{ a *Arch }

func newBuilder(input Shape) *builder {
	b := &builder{&Arch{Input: input}}
	b.a.Add(OpInput, nil)
	return b
}

func (b *builder) n(op string, attrs at, inputs ...int) int { return b.a.Add(op, attrs, inputs...) }

func (b *builder) out(x int) *Arch {
	g := b.n(OpGlobalAvg, nil, x)
	b.n(OpOutput, at{"units": 10}, g)
	return b.a
}

var conv3 = at{"filters": 4, "kernel": 3}

func TestHashIsomorphic(t *testing.T) {
	img := Shape{4, 8, 8}
	// x -> conv -> relu, x -> pool; add(relu, pool): written in two node orders
	b1 := newBuilder(img)
	c := b1.n(OpConv2D, conv3, 0)
	r := b1.n(OpReLU, nil, c)
	p := b1.n(OpAvgPool, at{"pool": 3, "stride": 1, "padding": 1}, 0)
	a1 := b1.out(b1.n(OpAdd, nil, r, p))

	b2 := newBuilder(img)
	p = b2.n(OpAvgPool, at{"pool": 3, "stride": 1, "padding": 1}, 0)
	c = b2.n(OpConv2D, at{"filters": 4, "kernel": 3, "stride": 1, "padding": 1}, 0) // defaults spelled out
	r = b2.n(OpReLU, nil, c)
	a2 := b2.out(b2.n(OpAdd, nil, p, r))
	a2.Nodes[1].Name = "renamed"
	a2.Labels = map[string]string{"nb201": "whatever"}

	if h1, h2 := Hash(a1), Hash(a2); h1 != h2 {
		t.Errorf("isomorphic architectures hash differently:\n%s\n%s", h1, h2)
	}
	if h := Hash(a1); len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Errorf("hash %q is not 64 hex digits", h)
	}
}

func TestHashRules(t *testing.T) {
	img := Shape{4, 8, 8}
	build := func(f func(b *builder) int) *Arch {
		b := newBuilder(img)
		return b.out(f(b))
	}
	conv := func(b *builder, x int) int { return b.n(OpConv2D, conv3, x) }
	for _, tc := range []struct {
		name string
		x, y func(b *builder) int
		same bool
	}{
		{"identity passes through",
			func(b *builder) int { return conv(b, b.n(OpIdentity, nil, 0)) },
			func(b *builder) int { return conv(b, 0) }, true},
		{"add commutes",
			func(b *builder) int { return b.n(OpAdd, nil, conv(b, 0), b.n(OpReLU, nil, 0)) },
			func(b *builder) int { r := b.n(OpReLU, nil, 0); return b.n(OpAdd, nil, r, conv(b, 0)) }, true},
		{"nested adds flatten",
			func(b *builder) int {
				x, y, z := conv(b, conv(b, 0)), conv(b, 0), b.n(OpReLU, nil, 0)
				return b.n(OpAdd, nil, b.n(OpAdd, nil, x, y), z)
			},
			func(b *builder) int {
				x, y, z := conv(b, conv(b, 0)), conv(b, 0), b.n(OpReLU, nil, 0)
				return b.n(OpAdd, nil, x, b.n(OpAdd, nil, z, y))
			}, true},
		{"an inner sum stays in one piece (NAS-Bench-201)",
			func(b *builder) int {
				x, y, z := conv(b, conv(b, 0)), conv(b, 0), b.n(OpReLU, nil, 0)
				return b.n(OpAdd, nil, b.n(OpAdd, nil, x, z), y)
			},
			func(b *builder) int {
				x, y, z := conv(b, conv(b, 0)), conv(b, 0), b.n(OpReLU, nil, 0)
				return b.n(OpAdd, nil, x, y, z)
			}, false},
		{"add of one input",
			func(b *builder) int { return b.n(OpAdd, nil, conv(b, 0)) },
			func(b *builder) int { return conv(b, 0) }, true},
		{"op of a zero is a zero",
			func(b *builder) int { return b.n(OpAdd, nil, 0, conv(b, b.n(OpZero, nil, 0))) },
			func(b *builder) int { return b.n(OpAdd, nil, 0, b.n(OpZero, nil, 0)) }, true},
		{"batchnorm of a zero is a zero",
			func(b *builder) int { return b.n(OpAdd, nil, 0, b.n(OpBatchNorm, nil, b.n(OpZero, nil, 0))) },
			func(b *builder) int { return b.n(OpAdd, nil, 0, b.n(OpZero, nil, 0)) }, true},
		{"zero terms count (NAS-Bench-201)",
			func(b *builder) int { return b.n(OpAdd, nil, conv(b, 0), b.n(OpZero, nil, 0)) },
			func(b *builder) int { return conv(b, 0) }, false},
		{"a sum of zeros is not a zero (NAS-Bench-201)",
			func(b *builder) int {
				return b.n(OpAdd, nil, 0, conv(b, b.n(OpAdd, nil, b.n(OpZero, nil, 0), b.n(OpZero, nil, 0))))
			},
			func(b *builder) int { return b.n(OpAdd, nil, 0, b.n(OpZero, nil, 0)) }, false},
		{"dead nodes do not count",
			func(b *builder) int { b.n(OpConv2D, conv3, 0); return conv(b, 0) },
			func(b *builder) int { return conv(b, 0) }, true},
		{"attributes matter",
			func(b *builder) int { return conv(b, 0) },
			func(b *builder) int { return b.n(OpConv2D, at{"filters": 4, "kernel": 1}, 0) }, false},
		{"op order matters",
			func(b *builder) int { return b.n(OpReLU, nil, conv(b, 0)) },
			func(b *builder) int { return conv(b, b.n(OpReLU, nil, 0)) }, false},
		{"concat keeps order",
			func(b *builder) int { return b.n(OpConcat, nil, 0, conv(b, 0)) },
			func(b *builder) int { c := conv(b, 0); return b.n(OpConcat, nil, c, 0) }, false},
		{"repeated terms count",
			func(b *builder) int { c := conv(b, 0); return b.n(OpAdd, nil, c, c) },
			func(b *builder) int { return conv(b, 0) }, false},
	} {
		hx, hy := Hash(build(tc.x)), Hash(build(tc.y))
		if (hx == hy) != tc.same {
			t.Errorf("%s: same hash = %v, want %v", tc.name, hx == hy, tc.same)
		}
	}
}

func TestHashInputShapeAndInvalid(t *testing.T) {
	a := chain(Shape{4, 8, 8}, Node{Op: OpGlobalAvg}, Node{Op: OpOutput, Attrs: at{"units": 2}})
	b := chain(Shape{4, 9, 9}, Node{Op: OpGlobalAvg}, Node{Op: OpOutput, Attrs: at{"units": 2}})
	if Hash(a) == Hash(b) {
		t.Error("different input shapes hash alike")
	}
	bad := chain(Shape{4, 8, 8}, Node{Op: OpOutput, Attrs: at{"units": 2}})
	bad2 := chain(Shape{4, 8, 8}, Node{Op: OpOutput, Attrs: at{"units": 3}})
	if h := Hash(bad); h == Hash(bad2) || h == Hash(a) || len(h) != 64 {
		t.Errorf("invalid architectures: %s %s", h, Hash(bad2))
	}
	if Hash(nil) == "" {
		t.Error("Hash(nil) is empty")
	}
}

// A deep stack of sums (each node the sum of the two before) has
// exponentially many paths; the hash must stay fast because values are
// shared, not expanded.
func TestHashManyPaths(t *testing.T) {
	b := newBuilder(Shape{2, 4, 4})
	prev, cur := 0, b.n(OpReLU, nil, 0)
	for range 60 {
		next := b.n(OpConv2D, at{"filters": 2, "kernel": 1}, b.n(OpAdd, nil, prev, cur))
		prev, cur = cur, next
	}
	a := b.out(cur)
	if h := Hash(a); len(h) != 64 {
		t.Fatal(h)
	}
}

func BenchmarkHash(b *testing.B) {
	bl := newBuilder(Shape{16, 32, 32})
	x := 0
	for range 15 {
		c1 := bl.n(OpBatchNorm, nil, bl.n(OpConv2D, at{"filters": 16, "kernel": 3}, bl.n(OpReLU, nil, x)))
		p := bl.n(OpAvgPool, at{"pool": 3, "stride": 1, "padding": 1}, c1)
		c2 := bl.n(OpBatchNorm, nil, bl.n(OpConv2D, at{"filters": 16, "kernel": 1}, bl.n(OpReLU, nil, x)))
		n2 := bl.n(OpAdd, nil, p, c2)
		x = bl.n(OpAdd, nil, x, n2, bl.n(OpIdentity, nil, n2))
	}
	a := bl.out(x)
	b.ReportAllocs()
	for b.Loop() {
		Hash(a)
	}
}

// Sums of sums without ops between them double in length at every level;
// past maxSum terms they stop being flattened, so this stays small.
func TestHashLongSums(t *testing.T) {
	b := newBuilder(Shape{2, 4, 4})
	prev, cur := 0, b.n(OpReLU, nil, 0)
	for range 200 {
		prev, cur = cur, b.n(OpAdd, nil, prev, cur, cur)
	}
	a := b.out(cur)
	if h := Hash(a); len(h) != 64 {
		t.Fatal(h)
	}
	// and the hash still ignores node order among the sums' inputs
	c := a.Clone()
	for i := range c.Nodes {
		if c.Nodes[i].Op == OpAdd {
			in := c.Nodes[i].Inputs
			in[0], in[2] = in[2], in[0]
		}
	}
	if Hash(a) != Hash(c) {
		t.Error("permuting the inputs of adds changed the hash")
	}
}

func TestHashConcurrent(t *testing.T) {
	archs := []*Arch{smallCNN(), chain(Shape{4}, Node{Op: OpOutput, Attrs: at{"units": 2}})}
	want := []string{Hash(archs[0]), Hash(archs[1])}
	done := make(chan bool)
	for g := range 4 {
		go func() {
			ok := true
			for i := range 200 {
				k := (i + g) % 2
				ok = ok && Hash(archs[k]) == want[k]
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("concurrent Hash calls disagree")
		}
	}
}
