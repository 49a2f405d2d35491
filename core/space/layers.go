package space

import (
	"fmt"
	"slices"
)

// Layer kinds of a layer-sequence space. Each is also the prefix of the
// layer's name ("conv2d_1") and, except for LayerActivation and
// LayerResidual, the graph op it decodes to.
const (
	LayerConv2D        = "conv2d"
	LayerMaxPool       = "maxpool"
	LayerAvgPool       = "avgpool"
	LayerGlobalAvgPool = "globalavgpool"
	LayerDense         = "dense"
	LayerDropout       = "dropout"
	LayerBatchNorm     = "batchnorm"
	LayerReLU          = "relu"
	LayerGELU          = "gelu"
	LayerTanh          = "tanh"
	LayerSigmoid       = "sigmoid"
	LayerActivation    = "activation" // one of several activation functions
	LayerFlatten       = "flatten"
	LayerResidual      = "residual" // a block whose output is added to its input
	LayerOutput        = "output"   // the classifier head
)

// Argument names of layers. A layer argument with more than one value
// becomes a categorical parameter named "<layer>.<argument>", such as
// "conv2d_1.filters"; an argument with one value is fixed.
const (
	ArgFilters    = "filters"     // conv2d: output channels
	ArgKernelSize = "kernel_size" // conv2d: square kernel side
	ArgStride     = "stride"      // conv2d (default 1), pools (default: the pool size)
	ArgPadding    = "padding"     // conv2d: "same" (default: (kernel-1)/2 on each side) or "valid" (none)
	ArgActivation = "activation"  // conv2d, dense: activation applied after the layer ("linear": none)
	ArgPoolSize   = "pool_size"   // maxpool, avgpool: square window side (default 2)
	ArgUnits      = "units"       // dense, output
	ArgRate       = "rate"        // dropout: in [0, 1) (default 0.5)
	ArgFunction   = "function"    // activation: relu, gelu, tanh, sigmoid or linear
	ArgPresent    = "present"     // optional layers: "false" or "true"
)

// Activations lists the activation function names that Activation and
// WithActivation accept. "linear" means no activation.
var Activations = []string{"relu", "gelu", "tanh", "sigmoid", "linear"}

// Paddings lists the padding names that Padding accepts.
var Paddings = []string{"same", "valid"}

// Layer is one entry of a layer-sequence space (see NewLayerSpace). Build
// layers with the constructors (Conv2D, Dense, ...) and refine them with the
// methods (Stride, Padding, WithActivation, Optional); every method returns a
// modified copy, so a Layer value can be reused. Values are checked by
// NewLayerSpace, not by the constructors.
type Layer struct {
	kind     string
	ints     map[string][]int
	floats   map[string][]float64
	strs     map[string][]string
	children []Layer
	optional bool
}

// Kind is the layer's kind, one of the Layer* constants.
func (l Layer) Kind() string { return l.kind }

// Layers returns a copy of the layers inside a Residual block.
func (l Layer) Layers() []Layer { return slices.Clone(l.children) }

// IsOptional reports whether the layer may be absent.
func (l Layer) IsOptional() bool { return l.optional }

// Ints returns the integer choices of an argument (nil when unset).
func (l Layer) Ints(arg string) []int { return slices.Clone(l.ints[arg]) }

// Floats returns the real choices of an argument (nil when unset).
func (l Layer) Floats(arg string) []float64 { return slices.Clone(l.floats[arg]) }

// Strings returns the text choices of an argument (nil when unset).
func (l Layer) Strings(arg string) []string { return slices.Clone(l.strs[arg]) }

func (l Layer) clone() Layer {
	c := l
	c.ints = cloneMap(l.ints)
	c.floats = cloneMap(l.floats)
	c.strs = cloneMap(l.strs)
	c.children = slices.Clone(l.children)
	return c
}

func cloneMap[T any](m map[string][]T) map[string][]T {
	out := make(map[string][]T, len(m))
	for k, v := range m {
		out[k] = slices.Clone(v)
	}
	return out
}

func newLayer(kind string) Layer {
	return Layer{kind: kind, ints: map[string][]int{}, floats: map[string][]float64{}, strs: map[string][]string{}}
}

// SetInts returns a copy of l with the integer choices of arg replaced.
// The constructors and methods cover every argument; SetInts is for
// front ends (such as the .morph DSL) that set arguments by name.
func (l Layer) SetInts(arg string, vals ...int) Layer {
	c := l.clone()
	c.ints[arg] = slices.Clone(vals)
	return c
}

// SetFloats returns a copy of l with the real choices of arg replaced.
func (l Layer) SetFloats(arg string, vals ...float64) Layer {
	c := l.clone()
	c.floats[arg] = slices.Clone(vals)
	return c
}

// SetStrings returns a copy of l with the text choices of arg replaced.
func (l Layer) SetStrings(arg string, vals ...string) Layer {
	c := l.clone()
	c.strs[arg] = slices.Clone(vals)
	return c
}

// Conv2D is a 2-D convolution with a choice of filter counts and square
// kernel sides (nil or empty kernels: 3). Stride 1 and "same" padding
// unless Stride and Padding say otherwise.
func Conv2D(filters []int, kernels []int) Layer {
	if len(kernels) == 0 {
		kernels = []int{3}
	}
	return newLayer(LayerConv2D).SetInts(ArgFilters, filters...).SetInts(ArgKernelSize, kernels...)
}

// MaxPool is max pooling over square windows of one of sizes (none: 2),
// with a stride equal to the window unless Stride says otherwise.
func MaxPool(sizes ...int) Layer { return pool(LayerMaxPool, sizes) }

// AvgPool is average pooling; see MaxPool.
func AvgPool(sizes ...int) Layer { return pool(LayerAvgPool, sizes) }

func pool(kind string, sizes []int) Layer {
	if len(sizes) == 0 {
		sizes = []int{2}
	}
	return newLayer(kind).SetInts(ArgPoolSize, sizes...)
}

// GlobalAvgPool averages each channel of an image [C, H, W] into a vector [C].
func GlobalAvgPool() Layer { return newLayer(LayerGlobalAvgPool) }

// Dense is a fully connected layer with one of units outputs. On an image
// input a flatten is inserted first (see NewLayerSpace).
func Dense(units ...int) Layer { return newLayer(LayerDense).SetInts(ArgUnits, units...) }

// Dropout zeroes a fraction of its inputs while training; the rate is one of
// rates (none: 0.5), each in [0, 1).
func Dropout(rates ...float64) Layer {
	if len(rates) == 0 {
		rates = []float64{0.5}
	}
	return newLayer(LayerDropout).SetFloats(ArgRate, rates...)
}

// BatchNorm normalizes each channel (or each unit of a vector).
func BatchNorm() Layer { return newLayer(LayerBatchNorm) }

// ReLU is the rectified linear unit.
func ReLU() Layer { return newLayer(LayerReLU) }

// GELU is the Gaussian error linear unit.
func GELU() Layer { return newLayer(LayerGELU) }

// Tanh is the hyperbolic tangent.
func Tanh() Layer { return newLayer(LayerTanh) }

// Sigmoid is the logistic function.
func Sigmoid() Layer { return newLayer(LayerSigmoid) }

// Activation is one of several activation functions (see Activations); the
// choice becomes the parameter "activation_N.function".
func Activation(choices ...string) Layer {
	return newLayer(LayerActivation).SetStrings(ArgFunction, choices...)
}

// Flatten turns an image [C, H, W] into a vector [C*H*W].
func Flatten() Layer { return newLayer(LayerFlatten) }

// Residual is a block of layers whose output is added to the block's input.
// When the block changes the number of channels (or units), the input goes
// through a projection first: a 1x1 convolution for images (with the stride
// that matches a spatial down-sampling inside the block), a dense layer for
// vectors.
func Residual(layers ...Layer) Layer {
	l := newLayer(LayerResidual)
	l.children = slices.Clone(layers)
	return l
}

// Output is the classifier head with units outputs (dense + softmax). It
// must be the last layer of a space. On an image input a flatten is
// inserted first.
func Output(units int) Layer { return newLayer(LayerOutput).SetInts(ArgUnits, units) }

// Stride sets the stride choices of a conv2d or pooling layer.
func (l Layer) Stride(strides ...int) Layer { return l.SetInts(ArgStride, strides...) }

// Padding sets the padding choices of a conv2d layer: "same" pads
// (kernel-1)/2 on each side, so an odd kernel keeps the image size at
// stride 1 (the output side is ceil(side/stride)); "valid" does not pad.
func (l Layer) Padding(paddings ...string) Layer { return l.SetStrings(ArgPadding, paddings...) }

// WithActivation appends an activation to a conv2d or dense layer, chosen
// among fns (see Activations; "linear" means none).
func (l Layer) WithActivation(fns ...string) Layer { return l.SetStrings(ArgActivation, fns...) }

// Optional makes the layer one that may be present or absent: a boolean
// categorical parameter "<layer>.present" with choices "false" and "true".
func (l Layer) Optional() Layer {
	c := l.clone()
	c.optional = true
	return c
}

// LayerError is an error in one layer of a layer-sequence space, from
// NewLayerSpace or from decoding a point.
type LayerError struct {
	Name string // the layer's name, such as "conv2d_2"
	// Path locates the layer in the list given to NewLayerSpace: Path[0] is
	// its index there, Path[1] its index inside a Residual, and so on.
	Path []int
	Arg  string // the argument at fault, such as "kernel_size"; "" for the layer as a whole
	// Value is the value of Arg at fault, formatted as in the parameter's
	// Choices ("5"); "" when the error is not about one value.
	Value string
	Err   error
}

func (e *LayerError) Error() string {
	if e.Arg != "" {
		return fmt.Sprintf("%s.%s: %v", e.Name, e.Arg, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Name, e.Err)
}

func (e *LayerError) Unwrap() error { return e.Err }

// argSpec says which arguments a layer kind takes and their kind.
type argSpec struct {
	name string
	typ  byte // 'i' ints, 'f' floats, 's' strings
}

var layerArgs = map[string][]argSpec{
	LayerConv2D:        {{ArgFilters, 'i'}, {ArgKernelSize, 'i'}, {ArgStride, 'i'}, {ArgPadding, 's'}, {ArgActivation, 's'}},
	LayerMaxPool:       {{ArgPoolSize, 'i'}, {ArgStride, 'i'}},
	LayerAvgPool:       {{ArgPoolSize, 'i'}, {ArgStride, 'i'}},
	LayerGlobalAvgPool: nil,
	LayerDense:         {{ArgUnits, 'i'}, {ArgActivation, 's'}},
	LayerDropout:       {{ArgRate, 'f'}},
	LayerBatchNorm:     nil,
	LayerReLU:          nil,
	LayerGELU:          nil,
	LayerTanh:          nil,
	LayerSigmoid:       nil,
	LayerActivation:    {{ArgFunction, 's'}},
	LayerFlatten:       nil,
	LayerResidual:      nil,
	LayerOutput:        {{ArgUnits, 'i'}},
}

// LayerKinds lists the layer kinds, sorted.
func LayerKinds() []string {
	out := make([]string, 0, len(layerArgs))
	for k := range layerArgs {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
