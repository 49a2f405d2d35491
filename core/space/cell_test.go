package space

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/graph"
)

func TestNB201Params(t *testing.T) {
	s := NB201(10)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []string{"edge_1_0", "edge_2_0", "edge_2_1", "edge_3_0", "edge_3_1", "edge_3_2"}
	if len(s.Params) != len(want) {
		t.Fatalf("%d params, want %d", len(s.Params), len(want))
	}
	for i, p := range s.Params {
		if p.Name != want[i] || p.Kind != Categorical || strings.Join(p.Choices, ",") != "none,skip_connect,nor_conv_1x1,nor_conv_3x3,avg_pool_3x3" {
			t.Errorf("param %d = %+v", i, p)
		}
	}
	if s.Size() != 15625 {
		t.Errorf("size %v, want 15625", s.Size())
	}
}

func TestNB201StringRoundTrip(t *testing.T) {
	for _, str := range []string{
		"|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
		"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|",
		"|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
	} {
		p, err := ParseNB201(str)
		if err != nil {
			t.Fatal(err)
		}
		if got := NB201String(p); got != str {
			t.Errorf("round trip %q -> %v -> %q", str, p, got)
		}
		a, err := NB201(10).Decode(p)
		if err != nil {
			t.Fatal(err)
		}
		if a.Labels["nb201"] != str {
			t.Errorf("label %q, want %q", a.Labels["nb201"], str)
		}
	}
	// every point of the space survives point -> string -> point
	s := NB201(10)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		p := s.Sample(rng)
		q, err := ParseNB201(NB201String(p))
		if err != nil || !q.Equal(p) {
			t.Fatalf("%v -> %q -> %v, %v", p, NB201String(p), q, err)
		}
	}
}

func TestParseNB201Errors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "want 3 nodes"},
		{"|none~0|+|none~0|none~1|", "want 3 nodes"},
		{"|none~0|+|none~0|none~1|+|none~0|none~1|", "node 3: want 3 edges"},
		{"|none~0|+|none~1|none~0|+|none~0|none~1|none~2|", `edge "none~1": want op~0`},
		{"|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", `unknown operation "conv"`},
		{"none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "not of the form"},
		{"|none0|+|none~0|none~1|+|none~0|none~1|none~2|", "want op~0"},
	} {
		_, err := ParseNB201(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseNB201(%q) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

func nb201Arch(t *testing.T, classes int, str string) *graph.Arch {
	t.Helper()
	p, err := ParseNB201(str)
	if err != nil {
		t.Fatal(err)
	}
	a, err := NB201(classes).Decode(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// NAS-Bench-201 (Dong and Yang 2020, Table 5 / Figure 2) reports 0.07M to
// 1.53M parameters and 7.8M to 220M FLOPs (counted as multiply-accumulates)
// for its CIFAR-10 networks: the all-none cell is the smallest network and
// the all-conv3x3 cell the largest.
func TestNB201ParamCounts(t *testing.T) {
	for _, tc := range []struct {
		cell         string
		params       int64
		macsM        float64 // million multiply-accumulates, as the benchmark reports
		paramsM, tol float64
	}{
		{"|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", 73306, 7.78, 0.07, 0.01},
		{"|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|", 1531546, 220.11, 1.53, 0.01},
	} {
		a := nb201Arch(t, 10, tc.cell)
		c, err := graph.Count(a)
		if err != nil {
			t.Fatal(err)
		}
		if c.Params != tc.params {
			t.Errorf("%s: %d params, want %d", tc.cell, c.Params, tc.params)
		}
		if got := float64(c.Params) / 1e6; got < tc.paramsM-tc.tol || got > tc.paramsM+tc.tol {
			t.Errorf("%s: %.3fM params, NAS-Bench-201 reports %.2fM", tc.cell, got, tc.paramsM)
		}
		// our FLOPs are 2*MACs plus the element-wise ops: within 10% of 2x the MACs
		if got := float64(c.FLOPs) / 2e6; got < tc.macsM || got > 1.1*tc.macsM {
			t.Errorf("%s: FLOPs/2 = %.2fM, NAS-Bench-201 reports %.2fM MACs", tc.cell, got, tc.macsM)
		}
	}
}

func TestNB201Network(t *testing.T) {
	a := nb201Arch(t, 100, "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|")
	shapes, err := graph.InferShapes(a)
	if err != nil {
		t.Fatal(err)
	}
	if got := shapes[a.Output()]; !got.Equal(graph.Shape{100}) {
		t.Errorf("output shape %v", got)
	}
	count := map[string]int{}
	for i, n := range a.Nodes {
		count[n.Op]++
		switch n.Name {
		case "stem/bn":
			if !shapes[i].Equal(graph.Shape{16, 32, 32}) {
				t.Errorf("stem shape %v", shapes[i])
			}
		case "reduce1/add":
			if !shapes[i].Equal(graph.Shape{32, 16, 16}) {
				t.Errorf("reduce1 shape %v", shapes[i])
			}
		case "reduce2/add":
			if !shapes[i].Equal(graph.Shape{64, 8, 8}) {
				t.Errorf("reduce2 shape %v", shapes[i])
			}
		}
	}
	// 15 cells with 3 nor_conv_3x3 edges each, the stem and 2x3 in the reductions
	if count[graph.OpConv2D] != 15*3+1+2*3 {
		t.Errorf("%d conv2d nodes", count[graph.OpConv2D])
	}
	if count[graph.OpAvgPool] != 15+2 || count[graph.OpIdentity] != 30 || count[graph.OpZero] != 0 {
		t.Errorf("op counts %v", count)
	}
	if count[graph.OpAdd] != 15*2+2 {
		t.Errorf("%d add nodes", count[graph.OpAdd])
	}
}

func TestNewCellSpace(t *testing.T) {
	s, err := NewCellSpace("small", CellConfig{Nodes: 3, Ops: []string{"skip_connect", "nor_conv_5x5", "max_pool_3x3"},
		Input: graph.Shape{1, 28, 28}, Classes: 10, Stages: []int{8, 16}, Cells: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Params) != 3 || s.Params[2].Name != "edge_2_1" {
		t.Fatalf("params %+v", s.Params)
	}
	a, err := s.Decode(Point{1, 2, 0})
	if err != nil {
		t.Fatal(err)
	}
	shapes, err := graph.InferShapes(a)
	if err != nil {
		t.Fatal(err)
	}
	if !shapes[a.Output()].Equal(graph.Shape{10}) {
		t.Errorf("output %v", shapes[a.Output()])
	}
	if a.Labels["cell"] != "|nor_conv_5x5~0|+|max_pool_3x3~0|skip_connect~1|" || a.Labels["nb201"] != "" {
		t.Errorf("labels %v", a.Labels)
	}
	// the NAS-Bench-201 configuration written out is labelled like NB201
	s, err = NewCellSpace("mine", CellConfig{Ops: []string{"none", "nor_conv_3x3"}})
	if err != nil {
		t.Fatal(err)
	}
	a, err = s.Decode(Point{1, 0, 0, 1, 1, 1})
	if err != nil {
		t.Fatal(err)
	}
	if a.Labels["nb201"] != "|nor_conv_3x3~0|+|none~0|none~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|" {
		t.Errorf("labels %v", a.Labels)
	}
}

func TestNewCellSpaceErrors(t *testing.T) {
	ops := []string{"none", "skip_connect"}
	for _, tc := range []struct {
		name string
		cfg  CellConfig
		want string
	}{
		{"no ops", CellConfig{}, "no operations"},
		{"nodes", CellConfig{Nodes: 1, Ops: ops}, "nodes must be in [2, 16]"},
		{"unknown op", CellConfig{Ops: []string{"sep_conv_3x3"}}, `unknown cell operation "sep_conv_3x3"`},
		{"even kernel", CellConfig{Ops: []string{"nor_conv_2x2"}}, `unknown cell operation "nor_conv_2x2"`},
		{"twice", CellConfig{Ops: []string{"none", "none"}}, "listed twice"},
		{"input", CellConfig{Ops: ops, Input: graph.Shape{784}}, "not an image"},
		{"classes", CellConfig{Ops: ops, Classes: -1}, "classes must be at least 1"},
		{"stages", CellConfig{Ops: ops, Stages: []int{16, 0}}, "stage channels must be positive"},
		{"too small", CellConfig{Ops: ops, Input: graph.Shape{3, 2, 2}, Stages: []int{4, 8, 16, 32}}, "does not fit"},
	} {
		_, err := NewCellSpace("s", tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestCellDecodeRejectsBadPoints(t *testing.T) {
	d := NB201(10).Decoder
	for _, p := range []Point{{0, 0, 0}, {0, 0, 0, 0, 0, 5}, {0, 0, 0, 0, 0, 0.5}} {
		if _, err := d.Decode(p); err == nil {
			t.Errorf("Decode(%v) succeeded", p)
		}
	}
}

func ExampleNB201() {
	s := NB201(10)
	p, _ := ParseNB201("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|")
	fmt.Println(s.Format(p)["edge_2_1"])
	a, _ := s.Decode(p)
	c, _ := graph.Count(a)
	fmt.Printf("%d nodes, %.2fM parameters\n", len(a.Nodes), float64(c.Params)/1e6)
	fmt.Println(NB201String(p) == a.Labels["nb201"])
	// Output:
	// avg_pool_3x3
	// 235 nodes, 0.80M parameters
	// true
}

// A 16-node cell of skip connections has 2^14 identity paths per cell and
// 2^70 through five cells: decoding, counting and hashing must stay fast.
func TestCellSpaceManyPaths(t *testing.T) {
	s, err := NewCellSpace("skips", CellConfig{Nodes: 16, Ops: []string{"skip_connect", "nor_conv_1x1"}, Stages: []int{4}, Input: graph.Shape{3, 8, 8}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Decode(make(Point, len(s.Params)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := graph.Count(a); err != nil {
		t.Fatal(err)
	}
	if h := graph.Hash(a); len(h) != 64 {
		t.Fatal(h)
	}
}

// Cells that NAS-Bench-201 counts as isomorphic decode to networks with the
// same hash (the whole table is checked in core/bench).
func TestNB201HashIsomorphic(t *testing.T) {
	for _, tc := range []struct {
		x, y string
		same bool
	}{
		// node 1 unused vs a different unused op: only the output's inputs matter
		{"|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|",
			"|avg_pool_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|", true},
		// four avg_pool_3x3 paths from the input either way
		{"|avg_pool_3x3~0|+|avg_pool_3x3~0|skip_connect~1|+|avg_pool_3x3~0|skip_connect~1|skip_connect~2|",
			"|skip_connect~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|avg_pool_3x3~1|skip_connect~2|", true},
		// node 2 = avg(x) + zero, reached through a none or through a skip of node 1
		{"|avg_pool_3x3~0|+|avg_pool_3x3~0|none~1|+|nor_conv_3x3~0|avg_pool_3x3~1|nor_conv_1x1~2|",
			"|avg_pool_3x3~0|+|none~0|skip_connect~1|+|nor_conv_3x3~0|avg_pool_3x3~1|nor_conv_1x1~2|", true},
		// NAS-Bench-201 keeps these apart: in node 3 its string puts the term that shares node 2 with the zero first
		{"|nor_conv_3x3~0|+|avg_pool_3x3~0|none~1|+|skip_connect~0|skip_connect~1|skip_connect~2|",
			"|avg_pool_3x3~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|skip_connect~1|skip_connect~2|", false},
		{"|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
			"|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|", false},
	} {
		hx, hy := graph.Hash(nb201Arch(t, 10, tc.x)), graph.Hash(nb201Arch(t, 10, tc.y))
		if (hx == hy) != tc.same {
			t.Errorf("%s vs %s: same hash %v, want %v", tc.x, tc.y, hx == hy, tc.same)
		}
	}
}
