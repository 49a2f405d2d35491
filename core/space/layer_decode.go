package space

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/morphml/morphml/core/graph"
)

// Decode builds the chain architecture of a point. It tracks shapes as it
// goes, to insert flattens and residual projections, and fails with a
// *LayerError when a layer cannot take its input (a kernel or pool larger
// than the image, a convolution on a vector).
func (ls *layerSpace) Decode(pt Point) (*graph.Arch, error) {
	d := &decoding{pt: pt, a: &graph.Arch{Input: slices.Clone(ls.input)}}
	d.cur = d.node(graph.OpInput, "input", nil)
	d.shape = slices.Clone(ls.input)
	for _, cl := range ls.layers {
		if err := d.layer(cl); err != nil {
			return nil, err
		}
	}
	return d.a, nil
}

type decoding struct {
	pt    Point
	a     *graph.Arch
	cur   int         // the node the next layer reads
	shape graph.Shape // its output shape
}

func (d *decoding) node(op, name string, attrs map[string]int, inputs ...int) int {
	i := d.a.Add(op, attrs, inputs...)
	d.a.Nodes[i].Name = name
	return i
}

// then appends a node reading the current one and makes it current.
func (d *decoding) then(op, name string, attrs map[string]int, shape graph.Shape) {
	d.cur = d.node(op, name, attrs, d.cur)
	d.shape = shape
}

func (d *decoding) layer(cl *compiled) error {
	fail := func(arg, format string, a ...any) error {
		return &LayerError{Name: cl.name, Path: cl.path, Arg: arg, Err: fmt.Errorf(format, a...)}
	}
	if cl.present >= 0 {
		i, err := choice{strs: []string{"false", "true"}, param: cl.present}.pick(d.pt)
		if err != nil {
			return fail(ArgPresent, "%v", err)
		}
		if i == 0 {
			return nil
		}
	}
	v := map[string]int{} // the chosen integer and text (as an index) values
	var rate float64
	var fn, pad string
	for _, spec := range layerArgs[cl.kind] {
		arg := spec.name
		ch, ok := cl.args[arg]
		if !ok {
			continue
		}
		i, err := ch.pick(d.pt)
		if err != nil {
			return fail(arg, "%v", err)
		}
		switch {
		case ch.ints != nil:
			v[arg] = ch.ints[i]
		case ch.floats != nil:
			rate = ch.floats[i]
		case arg == ArgPadding:
			pad = ch.strs[i]
		default:
			fn = ch.strs[i]
		}
	}
	image := len(d.shape) == 3
	needImage := func() error {
		if !image {
			return fail("", "needs an image input [C, H, W], got %v", d.shape)
		}
		return nil
	}
	switch cl.kind {
	case LayerConv2D:
		if err := needImage(); err != nil {
			return err
		}
		k, s := v[ArgKernelSize], max(v[ArgStride], 1)
		if k > d.shape[1] || k > d.shape[2] {
			err := fail(ArgKernelSize, "kernel %d is larger than its input %dx%d", k, d.shape[1], d.shape[2])
			err.(*LayerError).Value = strconv.Itoa(k)
			return err
		}
		// As graph.ConvGeometry: "same" pads (k-1)/2 on each side.
		padding, p := -1, (k-1)/2
		if pad == "valid" {
			padding, p = 0, 0
		}
		h, w := (d.shape[1]+2*p-k)/s+1, (d.shape[2]+2*p-k)/s+1
		d.then(graph.OpConv2D, cl.name, map[string]int{"filters": v[ArgFilters], "kernel": k, "stride": s, "padding": padding},
			graph.Shape{v[ArgFilters], h, w})
		d.activation(cl.name, fn)
	case LayerMaxPool, LayerAvgPool:
		if err := needImage(); err != nil {
			return err
		}
		p := v[ArgPoolSize]
		s := v[ArgStride]
		if s == 0 {
			s = p
		}
		if p > d.shape[1] || p > d.shape[2] {
			err := fail(ArgPoolSize, "pool %d is larger than its input %dx%d", p, d.shape[1], d.shape[2])
			err.(*LayerError).Value = strconv.Itoa(p)
			return err
		}
		d.then(cl.kind, cl.name, map[string]int{"pool": p, "stride": s},
			graph.Shape{d.shape[0], (d.shape[1]-p)/s + 1, (d.shape[2]-p)/s + 1})
	case LayerGlobalAvgPool:
		if err := needImage(); err != nil {
			return err
		}
		d.then(graph.OpGlobalAvg, cl.name, nil, graph.Shape{d.shape[0]})
	case LayerFlatten:
		d.then(graph.OpFlatten, cl.name, nil, graph.Shape{d.shape.Size()})
	case LayerDense, LayerOutput:
		if image {
			d.then(graph.OpFlatten, cl.name+"/flatten", nil, graph.Shape{d.shape.Size()})
		}
		op := graph.OpDense
		if cl.kind == LayerOutput {
			op = graph.OpOutput
		}
		d.then(op, cl.name, map[string]int{"units": v[ArgUnits]}, graph.Shape{v[ArgUnits]})
		d.activation(cl.name, fn)
	case LayerDropout:
		pm := min(int(math.Round(rate*1000)), 999)
		d.then(graph.OpDropout, cl.name, map[string]int{"rate_permille": pm}, d.shape)
	case LayerBatchNorm, LayerReLU, LayerGELU, LayerTanh, LayerSigmoid:
		d.then(cl.kind, cl.name, nil, d.shape)
	case LayerActivation:
		op := fn
		if fn == "linear" {
			op = graph.OpIdentity
		}
		d.then(op, cl.name, nil, d.shape)
	case LayerResidual:
		return d.residual(cl)
	default:
		return fail("", "unknown layer kind %q", cl.kind)
	}
	return nil
}

// activation appends the activation node of a layer's "activation" argument.
func (d *decoding) activation(layer, fn string) {
	if fn != "" && fn != "linear" {
		d.then(fn, layer+"/"+fn, nil, d.shape)
	}
}

func (d *decoding) residual(cl *compiled) error {
	in, inShape := d.cur, d.shape
	for _, sub := range cl.children {
		if err := d.layer(sub); err != nil {
			return err
		}
	}
	out, outShape := d.cur, d.shape
	if outShape.Equal(inShape) {
		d.cur = d.node(graph.OpAdd, cl.name, nil, in, out)
		return nil
	}
	fail := func() error {
		return &LayerError{Name: cl.name, Path: cl.path,
			Err: fmt.Errorf("cannot add the block's output %v to its input %v", outShape, inShape)}
	}
	var proj int
	switch {
	case len(inShape) == 1 && len(outShape) == 1:
		proj = d.node(graph.OpDense, cl.name+"/proj", map[string]int{"units": outShape[0]}, in)
	case len(inShape) == 3 && len(outShape) == 3:
		s := 0
		for try := 1; try <= inShape[1]; try++ {
			if ceilDiv(inShape[1], try) == outShape[1] && ceilDiv(inShape[2], try) == outShape[2] {
				s = try
				break
			}
		}
		if s == 0 {
			return fail()
		}
		proj = d.node(graph.OpConv2D, cl.name+"/proj",
			map[string]int{"filters": outShape[0], "kernel": 1, "stride": s, "padding": -1}, in)
	default:
		return fail()
	}
	d.cur = d.node(graph.OpAdd, cl.name, nil, proj, out)
	d.shape = outShape
	return nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
