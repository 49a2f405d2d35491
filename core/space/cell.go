package space

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/morphml/morphml/core/graph"
)

// Edge operations of a cell space, with the names NAS-Bench-201 uses.
// nor_conv_KxK and avg_pool_KxK / max_pool_KxK accept any odd K.
const (
	CellNone   = "none"         // the edge carries zeros (graph.OpZero)
	CellSkip   = "skip_connect" // graph.OpIdentity
	CellConv1  = "nor_conv_1x1" // relu -> conv2d 1x1 -> batchnorm
	CellConv3  = "nor_conv_3x3" // relu -> conv2d 3x3 -> batchnorm
	CellAvg3   = "avg_pool_3x3" // avgpool 3x3, stride 1, padding 1
	CellMax3   = "max_pool_3x3" // maxpool 3x3, stride 1, padding 1
	cellConvP  = "nor_conv_"
	cellAvgP   = "avg_pool_"
	cellMaxP   = "max_pool_"
	nb201Label = "nb201"
	cellLabel  = "cell"
)

// NB201Ops returns the five NAS-Bench-201 edge operations in the order of
// the choices of every NB201 parameter.
func NB201Ops() []string {
	return []string{CellNone, CellSkip, CellConv1, CellConv3, CellAvg3}
}

// CellConfig describes a cell (DAG) space and the macro network that stacks
// its cell. Zero fields take the NAS-Bench-201 values.
type CellConfig struct {
	// Nodes of the cell, counting its input node 0 (default 4). Node i sums
	// the edges from every node j < i; the last node is the cell's output.
	Nodes int
	// Ops are the operations an edge can take: none, skip_connect,
	// nor_conv_KxK, avg_pool_KxK, max_pool_KxK (K odd).
	Ops []string
	// Input is the network's input shape [C H W] (default [3 32 32]).
	Input graph.Shape
	// Classes is the number of outputs of the classifier head (default 10).
	Classes int
	// Stages lists the channels of each stage (default 16, 32, 64). A
	// stem (conv 3x3 + batchnorm) maps the input to Stages[0] channels; a
	// residual reduction block (stride 2) joins consecutive stages.
	Stages []int
	// Cells is the number of cells per stage (default 5).
	Cells int
}

func (c CellConfig) withDefaults() CellConfig {
	if c.Nodes == 0 {
		c.Nodes = 4
	}
	if len(c.Input) == 0 {
		c.Input = graph.Shape{3, 32, 32}
	}
	if c.Classes == 0 {
		c.Classes = 10
	}
	if len(c.Stages) == 0 {
		c.Stages = []int{16, 32, 64}
	}
	if c.Cells == 0 {
		c.Cells = 5
	}
	c.Ops = slices.Clone(c.Ops)
	c.Input = slices.Clone(c.Input)
	c.Stages = slices.Clone(c.Stages)
	return c
}

// cellOp is a parsed edge operation.
type cellOp struct {
	kind byte // 'n' none, 's' skip, 'c' conv, 'a' avg pool, 'm' max pool
	k    int  // kernel / window
}

func parseCellOp(name string) (cellOp, error) {
	switch name {
	case CellNone:
		return cellOp{kind: 'n'}, nil
	case CellSkip:
		return cellOp{kind: 's'}, nil
	}
	for _, p := range []struct {
		prefix string
		kind   byte
	}{{cellConvP, 'c'}, {cellAvgP, 'a'}, {cellMaxP, 'm'}} {
		rest, ok := strings.CutPrefix(name, p.prefix)
		if !ok {
			continue
		}
		a, b, ok := strings.Cut(rest, "x")
		k, err := strconv.Atoi(a)
		if !ok || a != b || err != nil || k < 1 || k%2 == 0 || k > 31 {
			break
		}
		return cellOp{kind: p.kind, k: k}, nil
	}
	return cellOp{}, fmt.Errorf("unknown cell operation %q (known: none, skip_connect, nor_conv_KxK, avg_pool_KxK, max_pool_KxK with K odd, e.g. %s)",
		name, strings.Join(NB201Ops(), ", "))
}

// EdgeName is the name of the parameter of the edge to node i from node j.
func EdgeName(i, j int) string { return "edge_" + strconv.Itoa(i) + "_" + strconv.Itoa(j) }

// NewCellSpace returns a cell space: one categorical parameter per edge j->i
// of the cell (j < i), named EdgeName(i, j) ("edge_1_0", "edge_2_0",
// "edge_2_1", ... in that order), each choosing one of cfg.Ops. Its decoder
// builds the whole network: stem, stages of cells joined by residual
// reduction blocks, and the head (batchnorm, relu, global average pool,
// output). The decoded Arch carries the cell string under Labels["cell"]
// and, for the NAS-Bench-201 configuration, under Labels["nb201"].
func NewCellSpace(name string, cfg CellConfig) (*Space, error) {
	cfg = cfg.withDefaults()
	fail := func(format string, a ...any) (*Space, error) {
		return nil, fmt.Errorf("cell space %q: %s", name, fmt.Sprintf(format, a...))
	}
	if cfg.Nodes < 2 || cfg.Nodes > 16 {
		return fail("nodes must be in [2, 16], got %d", cfg.Nodes)
	}
	if len(cfg.Ops) == 0 {
		return fail("no operations")
	}
	parsed := make([]cellOp, len(cfg.Ops))
	for i, op := range cfg.Ops {
		p, err := parseCellOp(op)
		if err != nil {
			return fail("%v", err)
		}
		if slices.Index(cfg.Ops, op) != i {
			return fail("operation %q listed twice", op)
		}
		parsed[i] = p
	}
	if len(cfg.Input) != 3 {
		return fail("input shape %v is not an image [C H W]", cfg.Input)
	}
	for _, d := range cfg.Input {
		if d <= 0 {
			return fail("input shape %v has a non-positive dimension", cfg.Input)
		}
	}
	if cfg.Classes < 1 {
		return fail("classes must be at least 1, got %d", cfg.Classes)
	}
	if cfg.Cells < 0 {
		return fail("cells per stage must not be negative, got %d", cfg.Cells)
	}
	for _, c := range cfg.Stages {
		if c <= 0 {
			return fail("stage channels must be positive, got %v", cfg.Stages)
		}
	}
	s := &Space{Name: name}
	for i := 1; i < cfg.Nodes; i++ {
		for j := range i {
			s.Params = append(s.Params, NewCategorical(EdgeName(i, j), slices.Clone(cfg.Ops)...))
		}
	}
	d := &cellDecoder{cfg: cfg, ops: parsed, nb201: isNB201(cfg)}
	s.Decoder = d
	// Check that the largest network fits (kernel vs image sizes through the
	// reductions) by decoding the point whose every edge is the first op
	// other than none, then each op on its own.
	for k := range parsed {
		pt := make(Point, len(s.Params))
		for i := range pt {
			pt[i] = float64(k)
		}
		a, err := d.Decode(pt)
		if err == nil {
			err = graph.Validate(a)
		}
		if err != nil {
			return fail("operation %q does not fit the network: %v", cfg.Ops[k], err)
		}
	}
	return s, nil
}

func isNB201(c CellConfig) bool {
	if c.Nodes != 4 || c.Cells != 5 || !slices.Equal(c.Stages, []int{16, 32, 64}) || c.Input[0] != 3 {
		return false
	}
	for _, op := range c.Ops {
		if !slices.Contains(NB201Ops(), op) {
			return false
		}
	}
	return true
}

// NB201 returns the NAS-Bench-201 topology space for a head of the given
// number of classes (10 for CIFAR-10, 100 for CIFAR-100, 120 for
// ImageNet16-120) on 3x32x32 inputs: 6 edges, each one of NB201Ops, in the
// order of the benchmark's cell string |op~0|+|op~0|op~1|+|op~0|op~1|op~2|.
// A decoded architecture is the benchmark's full network (about 0.07M to
// 1.5M parameters for 10 classes) labelled with its cell string under
// Labels["nb201"].
func NB201(classes int) *Space {
	s, err := NewCellSpace("nb201", CellConfig{Nodes: 4, Ops: NB201Ops(), Classes: classes})
	if err != nil {
		panic("space.NB201: " + err.Error()) // only for classes < 1
	}
	return s
}

// NB201String renders a point of an NB201 space as the benchmark's cell
// string, e.g. |nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|.
func NB201String(p Point) string {
	return cellString(NB201Ops(), 4, p)
}

// cellString renders a point of a cell space with the given choices.
func cellString(choices []string, nodes int, p Point) string {
	var b strings.Builder
	k := 0
	for i := 1; i < nodes; i++ {
		if i > 1 {
			b.WriteByte('+')
		}
		b.WriteByte('|')
		for j := range i {
			name := "?"
			if k < len(p) && p[k] >= 0 && int(p[k]) < len(choices) && p[k] == float64(int(p[k])) {
				name = choices[int(p[k])]
			}
			k++
			b.WriteString(name)
			b.WriteByte('~')
			b.WriteString(strconv.Itoa(j))
			b.WriteByte('|')
		}
	}
	return b.String()
}

// ParseNB201 parses a NAS-Bench-201 cell string into a point of NB201.
func ParseNB201(s string) (Point, error) {
	pt, err := parseCellString(s, NB201Ops(), 4)
	if err != nil {
		return nil, fmt.Errorf("parse NB201 cell %q: %w", s, err)
	}
	return pt, nil
}

func parseCellString(s string, choices []string, nodes int) (Point, error) {
	groups := strings.Split(s, "+")
	if len(groups) != nodes-1 {
		return nil, fmt.Errorf("want %d nodes separated by '+', got %d", nodes-1, len(groups))
	}
	pt := make(Point, 0, nodes*(nodes-1)/2)
	for g, grp := range groups {
		i := g + 1
		inner, ok := strings.CutPrefix(grp, "|")
		if ok {
			inner, ok = strings.CutSuffix(inner, "|")
		}
		if !ok {
			return nil, fmt.Errorf("node %d: %q is not of the form |op~j|...|", i, grp)
		}
		edges := strings.Split(inner, "|")
		if len(edges) != i {
			return nil, fmt.Errorf("node %d: want %d edges, got %d", i, i, len(edges))
		}
		for j, e := range edges {
			op, from, ok := strings.Cut(e, "~")
			if !ok || from != strconv.Itoa(j) {
				return nil, fmt.Errorf("node %d: edge %q: want op~%d", i, e, j)
			}
			c := slices.Index(choices, op)
			if c < 0 {
				return nil, fmt.Errorf("node %d: unknown operation %q (known: %s)", i, op, strings.Join(choices, ", "))
			}
			pt = append(pt, float64(c))
		}
	}
	return pt, nil
}

// cellDecoder builds the network of a cell space.
type cellDecoder struct {
	cfg   CellConfig
	ops   []cellOp
	nb201 bool
	names []cellNames // of each cell in the network, built once
	once  sync.Once
}

// cellNames are the node names of one cell.
type cellNames struct {
	edge [][4]string // per edge: the prefix, then .../relu, .../conv, .../bn
	node []string    // per cell node: the name of its add
}

func (d *cellDecoder) buildNames() {
	n := d.cfg.Nodes
	d.names = make([]cellNames, len(d.cfg.Stages)*d.cfg.Cells)
	for c := range d.names {
		name := "cell" + strconv.Itoa(c)
		cn := cellNames{node: make([]string, n)}
		for i := 1; i < n; i++ {
			cn.node[i] = name + "/node" + strconv.Itoa(i)
			for j := range i {
				p := name + "/" + EdgeName(i, j)
				cn.edge = append(cn.edge, [4]string{p, p + "/relu", p + "/conv", p + "/bn"})
			}
		}
		d.names[c] = cn
	}
}

// Decode implements Decoder.
func (d *cellDecoder) Decode(p Point) (*graph.Arch, error) {
	n := d.cfg.Nodes
	if len(p) != n*(n-1)/2 {
		return nil, fmt.Errorf("cell: point has %d values, want %d", len(p), n*(n-1)/2)
	}
	edges := make([]cellOp, len(p))
	for k, v := range p {
		if v < 0 || int(v) >= len(d.ops) || v != float64(int(v)) {
			return nil, fmt.Errorf("cell: value %v of %s is not a choice index", v, edgeNameAt(k))
		}
		edges[k] = d.ops[int(v)]
	}
	d.once.Do(d.buildNames)
	cs := cellString(d.cfg.Ops, n, p)
	b := &netBuilder{a: &graph.Arch{
		Input:  slices.Clone(d.cfg.Input),
		Nodes:  make([]graph.Node, 0, d.estimate(edges)),
		Labels: map[string]string{cellLabel: cs},
	}}
	if d.nb201 {
		b.a.Labels[nb201Label] = cs
	}
	x := b.node(graph.OpInput, "input", nil)
	c0 := d.cfg.Stages[0]
	x = b.node(graph.OpConv2D, "stem/conv", map[string]int{"filters": c0, "kernel": 3, "padding": 1}, x)
	x = b.node(graph.OpBatchNorm, "stem/bn", nil, x)
	cell := 0
	for s, c := range d.cfg.Stages {
		if s > 0 {
			x = b.reduction(fmt.Sprintf("reduce%d", s), x, c)
		}
		for range d.cfg.Cells {
			x = b.cell(&d.names[cell], x, c, n, edges)
			cell++
		}
	}
	x = b.node(graph.OpBatchNorm, "head/bn", nil, x)
	x = b.node(graph.OpReLU, "head/relu", nil, x)
	x = b.node(graph.OpGlobalAvg, "head/pool", nil, x)
	b.node(graph.OpOutput, "head/output", map[string]int{"units": d.cfg.Classes}, x)
	return b.a, nil
}

func edgeNameAt(k int) string {
	for i := 1; ; i++ {
		if k < i {
			return EdgeName(i, k)
		}
		k -= i
	}
}

// estimate is an upper bound of the node count, to size the slice once.
func (d *cellDecoder) estimate(edges []cellOp) int {
	per := d.cfg.Nodes + 3*len(edges)
	return 8 + len(d.cfg.Stages)*(10+d.cfg.Cells*per)
}

type netBuilder struct {
	a *graph.Arch
}

func (b *netBuilder) node(op, name string, attrs map[string]int, inputs ...int) int {
	b.a.Nodes = append(b.a.Nodes, graph.Node{Op: op, Name: name, Attrs: attrs, Inputs: inputs})
	return len(b.a.Nodes) - 1
}

// reluConvBN appends relu -> conv2d -> batchnorm, named names[1:4].
func (b *netBuilder) reluConvBN(names *[4]string, x, c, k, stride int) int {
	x = b.node(graph.OpReLU, names[1], nil, x)
	x = b.node(graph.OpConv2D, names[2], map[string]int{"filters": c, "kernel": k, "stride": stride, "padding": (k - 1) / 2}, x)
	return b.node(graph.OpBatchNorm, names[3], nil, x)
}

func stepNames(p string) *[4]string { return &[4]string{p, p + "/relu", p + "/conv", p + "/bn"} }

// reduction appends NAS-Bench-201's residual reduction block (ResNet basic
// block with stride 2): relu-conv3x3/2-bn, relu-conv3x3-bn, plus a shortcut
// of avgpool 2x2/2 and a 1x1 convolution.
func (b *netBuilder) reduction(name string, x, c int) int {
	y := b.reluConvBN(stepNames(name+"/a"), x, c, 3, 2)
	y = b.reluConvBN(stepNames(name+"/b"), y, c, 3, 1)
	s := b.node(graph.OpAvgPool, name+"/shortcut/pool", map[string]int{"pool": 2, "stride": 2, "padding": 0}, x)
	s = b.node(graph.OpConv2D, name+"/shortcut/conv", map[string]int{"filters": c, "kernel": 1, "stride": 1, "padding": 0}, s)
	return b.node(graph.OpAdd, name+"/add", nil, s, y)
}

// cell appends one cell reading x and returns its output node.
func (b *netBuilder) cell(names *cellNames, x, c, n int, edges []cellOp) int {
	nodes := make([]int, n)
	nodes[0] = x
	k := 0
	var terms []int
	for i := 1; i < n; i++ {
		terms = terms[:0]
		for j := range i {
			e := edges[k]
			en := &names.edge[k]
			k++
			prefix := en[0]
			in := nodes[j]
			var t int
			switch e.kind {
			case 'n':
				t = b.node(graph.OpZero, prefix, nil, in)
			case 's':
				t = b.node(graph.OpIdentity, prefix, nil, in)
			case 'c':
				t = b.reluConvBN(en, in, c, e.k, 1)
			case 'a':
				t = b.node(graph.OpAvgPool, prefix, map[string]int{"pool": e.k, "stride": 1, "padding": (e.k - 1) / 2}, in)
			case 'm':
				t = b.node(graph.OpMaxPool, prefix, map[string]int{"pool": e.k, "stride": 1, "padding": (e.k - 1) / 2}, in)
			}
			terms = append(terms, t)
		}
		if len(terms) == 1 {
			nodes[i] = terms[0]
		} else {
			nodes[i] = b.node(graph.OpAdd, names.node[i], nil, slices.Clone(terms)...)
		}
	}
	return nodes[n-1]
}
