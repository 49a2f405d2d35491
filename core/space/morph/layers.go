package morph

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
)

// Bounds of layer arguments (the same as package space's).
const (
	maxDim   = 1 << 16 // input dimensions, kernels, strides, pool sizes
	maxWidth = 1 << 20 // filters, units
)

var optionalParam = param{name: "optional", ty: tyBool, def: "false",
	doc: "the layer may be absent: adds the boolean parameter `<layer>.present`"}

var activationParam = param{name: space.ArgActivation, ty: tyStrs, def: `"linear"`,
	doc: "activation after the layer: relu, gelu, tanh, sigmoid or linear (none)"}

// layerSigs are the layers, Layer.<name>(...), in the order GRAMMAR.md lists them.
var layerSigs = []*sig{
	{name: space.LayerConv2D, doc: "2-D convolution", params: []param{
		{name: space.ArgFilters, ty: tyInts, required: true, doc: "output channels, each >= 1"},
		{name: space.ArgKernelSize, ty: tyInts, def: "3", doc: "square kernel side, each >= 1 and at most the input's side"},
		{name: space.ArgStride, ty: tyInts, def: "1", doc: "stride, each >= 1"},
		{name: space.ArgPadding, ty: tyStrs, def: `"same"`, doc: `"same" (pads (kernel-1)/2 on each side: an odd kernel gives ceil(side / stride)) or "valid" (no padding)`},
		activationParam, optionalParam}},
	{name: space.LayerMaxPool, doc: "max pooling over square windows", params: []param{
		{name: space.ArgPoolSize, ty: tyInts, def: "2", doc: "window side, each >= 1 and at most the input's side"},
		{name: space.ArgStride, ty: tyInts, def: "pool_size", doc: "stride, each >= 1"},
		optionalParam}},
	{name: space.LayerAvgPool, doc: "average pooling over square windows", params: []param{
		{name: space.ArgPoolSize, ty: tyInts, def: "2", doc: "window side, each >= 1 and at most the input's side"},
		{name: space.ArgStride, ty: tyInts, def: "pool_size", doc: "stride, each >= 1"},
		optionalParam}},
	{name: space.LayerGlobalAvgPool, doc: "average of each channel: `[C, H, W]` -> `[C]`", params: []param{optionalParam}},
	{name: space.LayerFlatten, doc: "`[C, H, W]` -> `[C*H*W]`", params: []param{optionalParam}},
	{name: space.LayerDense, doc: "fully connected layer (a flatten is inserted before it on an image)", params: []param{
		{name: space.ArgUnits, ty: tyInts, required: true, doc: "output units, each >= 1"},
		activationParam, optionalParam}},
	{name: space.LayerDropout, doc: "dropout", params: []param{
		{name: space.ArgRate, ty: tyFloats, def: "0.5", doc: "fraction dropped, each in [0, 1)"},
		optionalParam}},
	{name: space.LayerBatchNorm, doc: "batch normalization", params: []param{optionalParam}},
	{name: space.LayerReLU, doc: "rectified linear unit", params: []param{optionalParam}},
	{name: space.LayerGELU, doc: "Gaussian error linear unit", params: []param{optionalParam}},
	{name: space.LayerTanh, doc: "hyperbolic tangent", params: []param{optionalParam}},
	{name: space.LayerSigmoid, doc: "logistic function", params: []param{optionalParam}},
	{name: space.LayerActivation, doc: "one of several activation functions", params: []param{
		{name: space.ArgFunction, ty: tyStrs, required: true, doc: "relu, gelu, tanh, sigmoid or linear (identity)"},
		optionalParam}},
	{name: space.LayerResidual, doc: "a block whose output is added to its input (with a 1x1 conv or dense projection when the shapes differ)", params: []param{
		{name: "layers", ty: tyLayers, required: true, doc: "the block's layers (no output, flatten or globalavgpool)"},
		optionalParam}},
	{name: space.LayerOutput, doc: "the classifier head (dense + softmax); must be the last layer", params: []param{
		{name: space.ArgUnits, ty: tyInt, required: true, doc: "classes, >= 1"}}},
}

func layerSig(name string) *sig {
	for _, s := range layerSigs {
		if s.name == name {
			return s
		}
	}
	return nil
}

func layerNames() []string {
	out := make([]string, len(layerSigs))
	for i, s := range layerSigs {
		out[i] = s.name
	}
	return out
}

// layerBuilder turns Layer calls into space.Layers and remembers which call
// made which layer, to place the errors of space.NewLayerSpace.
type layerBuilder struct {
	e      *errs
	calls  map[string]*args // by path, "0" or "2/1"
	names  map[string]*args // by layer name, "conv2d_1", as package space names them
	counts map[string]int   // layers of each kind so far
}

func newLayerBuilder(e *errs) *layerBuilder {
	return &layerBuilder{e: e, calls: map[string]*args{}, names: map[string]*args{}, counts: map[string]int{}}
}

func pathKey(path []int) string {
	var b strings.Builder
	for i, p := range path {
		if i > 0 {
			b.WriteByte('/')
		}
		fmt.Fprint(&b, p)
	}
	return b.String()
}

// layers converts a list of Layer calls.
func (lb *layerBuilder) layers(cs []*call, path []int) ([]space.Layer, bool) {
	ok := true
	var out []space.Layer
	for i, c := range cs {
		l, lok := lb.layer(c, append(slices.Clone(path), i))
		ok = ok && lok
		out = append(out, l)
	}
	return out, ok
}

func (lb *layerBuilder) layer(c *call, path []int) (space.Layer, bool) {
	if c.qual != "Layer" {
		if name := suggest(c.member, layerNames()); name != "" {
			lb.e.at(c.pos, "expected Layer.<name>(...), got %s(...) — did you mean \"Layer.%s\"?", c.name, name)
		} else {
			lb.e.at(c.pos, "expected a layer such as Layer.conv2d(...), got %s(...)", c.name)
		}
		return space.Layer{}, false
	}
	s := layerSig(c.member)
	if s == nil {
		lb.e.at(c.memPos, "%s", unknown("layer", c.member, layerNames()))
		return space.Layer{}, false
	}
	a := bind(c, s, lb.e)
	lb.calls[pathKey(path)] = a
	lb.counts[s.name]++
	lb.names[fmt.Sprintf("%s_%d", s.name, lb.counts[s.name])] = a
	n := len(lb.e.list)
	var l space.Layer
	switch s.name {
	case space.LayerConv2D:
		filters, _ := a.ints(space.ArgFilters, 1, maxWidth)
		kernels, _ := a.ints(space.ArgKernelSize, 1, maxDim)
		l = space.Conv2D(filters, kernels)
	case space.LayerMaxPool, space.LayerAvgPool:
		sizes, _ := a.ints(space.ArgPoolSize, 1, maxDim)
		l = space.MaxPool(sizes...)
		if s.name == space.LayerAvgPool {
			l = space.AvgPool(sizes...)
		}
	case space.LayerDense:
		units, _ := a.ints(space.ArgUnits, 1, maxWidth)
		l = space.Dense(units...)
	case space.LayerDropout:
		rates, _ := a.floats(space.ArgRate, func(r float64) string {
			if r >= 0 && r < 1 {
				return ""
			}
			return "must be in [0, 1)"
		})
		l = space.Dropout(rates...)
	case space.LayerActivation:
		fns, _ := a.strs(space.ArgFunction, "activation", space.Activations)
		l = space.Activation(fns...)
	case space.LayerResidual:
		cs, _ := a.calls("layers", tyLayers)
		inner, _ := lb.layers(cs, path)
		l = space.Residual(inner...)
	case space.LayerOutput:
		units, _ := a.int(space.ArgUnits, 1, 1, maxWidth)
		l = space.Output(int(units))
	case space.LayerGlobalAvgPool:
		l = space.GlobalAvgPool()
	case space.LayerFlatten:
		l = space.Flatten()
	case space.LayerBatchNorm:
		l = space.BatchNorm()
	case space.LayerReLU:
		l = space.ReLU()
	case space.LayerGELU:
		l = space.GELU()
	case space.LayerTanh:
		l = space.Tanh()
	case space.LayerSigmoid:
		l = space.Sigmoid()
	}
	if _, ok := s.param(space.ArgStride); ok && a.has(space.ArgStride) {
		strides, _ := a.ints(space.ArgStride, 1, maxDim)
		l = l.Stride(strides...)
	}
	if a.has(space.ArgPadding) {
		pads, _ := a.strs(space.ArgPadding, "padding", space.Paddings)
		l = l.Padding(pads...)
	}
	if a.has(space.ArgActivation) {
		fns, _ := a.strs(space.ArgActivation, "activation", space.Activations)
		l = l.WithActivation(fns...)
	}
	if opt, _ := a.boolean("optional", false); opt {
		l = l.Optional()
	}
	return l, len(lb.e.list) == n
}

// place reports an error of space.NewLayerSpace, of decoding or of graph
// validation at the layer (and argument) it is about, or at fallback.
func (lb *layerBuilder) place(err error, spaceName string, fallback Pos) {
	msg := strings.TrimPrefix(err.Error(), fmt.Sprintf("space %q: ", spaceName))
	var le *space.LayerError
	var ne *graph.NodeError
	var a *args
	switch {
	case errors.As(err, &le):
		a = lb.calls[pathKey(le.Path)]
	case errors.As(err, &ne):
		name, _, _ := strings.Cut(ne.Name, "/")
		a = lb.names[name]
	}
	if a == nil {
		lb.e.at(fallback, "%s", msg)
		return
	}
	p := a.c.memPos
	if le != nil && le.Arg != "" && a.has(le.Arg) {
		p = a.pos(le.Arg)
		// Point at the value at fault in a list of choices.
		if v := a.val(le.Arg); v.kind == vList && le.Value != "" {
			for _, x := range v.list {
				if x.kind == vNum && strconv.FormatFloat(x.num, 'g', -1, 64) == le.Value {
					p = x.pos
					break
				}
			}
		}
	}
	lb.e.at(p, "%s", msg)
}

// shape reads the input argument of a layer space.
func shape(a *args, name string) (graph.Shape, bool) {
	v := a.val(name)
	if v == nil {
		return nil, false
	}
	if v.kind != vList {
		a.typeErr(name, v, tyShape)
		return nil, false
	}
	var s graph.Shape
	for _, x := range v.list {
		if !isInt(x) {
			a.typeErr(name, x, tyShape)
			return nil, false
		}
		if !a.inRange(name, x, 1, maxDim) {
			return nil, false
		}
		s = append(s, int(x.num))
	}
	if len(s) != 1 && len(s) != 3 {
		a.e.at(v.pos, "%s must be [channels, height, width] for images or [features] for vectors, got %s", name, pluralize(len(s), "dimension"))
		return nil, false
	}
	return s, true
}
