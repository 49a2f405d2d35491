package space

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/morphml/morphml/core/graph"
)

// Bounds on layer arguments and input sizes, so that no choice can overflow
// the size computations.
const (
	maxDim   = 1 << 16 // an input dimension, a kernel, a stride or a pool size
	maxWidth = 1 << 20 // filters or units
)

// NewLayerSpace returns a layer-sequence space: the architecture is the chain
// of layers, in order, after an input of the given shape ([C, H, W] for
// images, [N] for vectors). Every layer argument with more than one value
// becomes a categorical parameter named "<layer>.<argument>" (for example
// "conv2d_1.filters"), and every optional layer a boolean categorical
// "<layer>.present"; parameters appear in the order of the layers. Layers are
// named by kind and position among the layers of that kind, counting into
// residual blocks: "conv2d_1", "conv2d_2", "residual_1".
//
// The decoder builds a chain graph.Arch whose nodes carry these names. Two
// nodes are inserted on the way, each named after the layer that needs it:
// a flatten ("dense_1/flatten") when a dense or output layer follows an image
// without an explicit Flatten, and an activation node ("conv2d_1/relu") for
// WithActivation. A residual block adds a projection ("residual_1/proj") when
// needed and ends in an add node named after the block.
//
// The last layer must be Output, and only there. NewLayerSpace checks every
// value (filters, units, kernels, strides and pool sizes >= 1, dropout rates
// in [0, 1), known paddings and activations, no duplicated choices) and
// decodes and validates (graph.Validate) two extreme points: the one where
// every choice shrinks the image least and the one where it shrinks it most
// (the largest kernels, strides and pools, "valid" padding, optional layers
// present), so a kernel or pool larger than its input is reported here
// rather than during a search. Errors about a layer are *LayerError.
func NewLayerSpace(name string, input graph.Shape, layers ...Layer) (*Space, error) {
	if err := checkInput(input); err != nil {
		return nil, fmt.Errorf("space %q: %w", name, err)
	}
	if len(layers) == 0 {
		return nil, fmt.Errorf("space %q: no layers", name)
	}
	ls := &layerSpace{input: slices.Clone(input)}
	c := &compiler{ls: ls, counts: map[string]int{}}
	for i, l := range layers {
		cl, err := c.compile(l, []int{i})
		if err != nil {
			return nil, fmt.Errorf("space %q: %w", name, err)
		}
		ls.layers = append(ls.layers, cl)
	}
	last := ls.layers[len(ls.layers)-1]
	if last.kind != LayerOutput {
		return nil, fmt.Errorf("space %q: %w", name, &LayerError{Name: last.name, Path: last.path,
			Err: errors.New("the last layer must be an output layer")})
	}
	for _, cl := range ls.layers[:len(ls.layers)-1] {
		if cl.kind == LayerOutput {
			return nil, fmt.Errorf("space %q: %w", name, &LayerError{Name: cl.name, Path: cl.path,
				Err: errors.New("an output layer must be the last layer")})
		}
	}
	sp := &Space{Name: name, Params: c.params, Decoder: ls}
	if err := sp.Validate(); err != nil {
		return nil, err
	}
	best, worst := make(Point, len(c.params)), make(Point, len(c.params))
	var varied []string
	for i := range c.params {
		best[i], worst[i] = float64(c.best[i]), float64(c.worst[i])
		if c.best[i] != c.worst[i] {
			varied = append(varied, c.params[i].Name+"="+c.params[i].Format(worst[i]))
		}
	}
	if err := decodeValid(ls, best); err != nil {
		return nil, fmt.Errorf("space %q: %w", name, err)
	}
	if err := decodeValid(ls, worst); err != nil {
		return nil, fmt.Errorf("space %q: %w (with %s)", name, err, strings.Join(varied, ", "))
	}
	return sp, nil
}

// decodeValid decodes a point and validates the graph.
func decodeValid(ls *layerSpace, pt Point) error {
	a, err := ls.Decode(pt)
	if err == nil {
		err = graph.Validate(a)
	}
	return err
}

func checkInput(in graph.Shape) error {
	if len(in) != 1 && len(in) != 3 {
		return fmt.Errorf("input shape %v: want [C, H, W] for an image or [N] for a vector", in)
	}
	for _, d := range in {
		if d < 1 || d > maxDim {
			return fmt.Errorf("input shape %v: every dimension must be in [1, %d]", in, maxDim)
		}
	}
	return nil
}

// layerSpace is the Decoder of a layer-sequence space.
type layerSpace struct {
	input  graph.Shape
	layers []*compiled
}

// choice is one argument of a compiled layer: its values and the index of
// the parameter that picks one (-1 when there is a single value).
type choice struct {
	ints   []int
	floats []float64
	strs   []string
	param  int
}

func (c choice) n() int { return max(len(c.ints), len(c.floats), len(c.strs)) }

type compiled struct {
	kind     string
	name     string
	path     []int
	present  int // parameter index of an optional layer, -1 when always present
	args     map[string]choice
	children []*compiled
}

type compiler struct {
	ls          *layerSpace
	counts      map[string]int
	params      []Param
	best, worst []int
}

func (c *compiler) compile(l Layer, path []int) (*compiled, error) {
	specs, ok := layerArgs[l.kind]
	if !ok {
		return nil, fmt.Errorf("layer %v: unknown kind %q", path, l.kind)
	}
	c.counts[l.kind]++
	cl := &compiled{kind: l.kind, name: fmt.Sprintf("%s_%d", l.kind, c.counts[l.kind]),
		path: slices.Clone(path), present: -1, args: map[string]choice{}}
	lerr := func(arg string, format string, a ...any) error {
		return &LayerError{Name: cl.name, Path: cl.path, Arg: arg, Err: fmt.Errorf(format, a...)}
	}
	if l.optional {
		if l.kind == LayerOutput {
			return nil, lerr("", "an output layer cannot be optional")
		}
		cl.present = c.add(cl.name+"."+ArgPresent, []string{"false", "true"}, 0, 1)
	}
	// Reject arguments the kind does not take.
	for _, m := range []map[string]int{keysOf(l.ints), keysOf(l.floats), keysOf(l.strs)} {
		for _, k := range sortedKeys(m) {
			if !slices.ContainsFunc(specs, func(s argSpec) bool { return s.name == k }) {
				return nil, lerr(k, "a %s layer takes no argument %q", l.kind, k)
			}
		}
	}
	for _, s := range specs {
		ch := choice{param: -1}
		switch s.typ {
		case 'i':
			ch.ints = l.ints[s.name]
			if err := c.checkInts(cl, s.name, ch.ints); err != nil {
				return nil, err
			}
		case 'f':
			ch.floats = l.floats[s.name]
			for i, r := range ch.floats {
				if !(r >= 0 && r < 1) {
					return nil, lerr(s.name, "rate %v is outside [0, 1)", r)
				}
				if slices.Index(ch.floats, r) < i {
					return nil, lerr(s.name, "%v is listed twice", r)
				}
			}
		case 's':
			ch.strs = l.strs[s.name]
			valid := Activations
			if s.name == ArgPadding {
				valid = Paddings
			}
			for i, v := range ch.strs {
				if !slices.Contains(valid, v) {
					return nil, lerr(s.name, "unknown %s %q (want one of %s)", s.name, v, strings.Join(valid, ", "))
				}
				if slices.Index(ch.strs, v) < i {
					return nil, lerr(s.name, "%q is listed twice", v)
				}
			}
		}
		if ch.n() == 0 {
			if s.name == ArgFilters || s.name == ArgUnits || s.name == ArgFunction {
				return nil, lerr(s.name, "no values")
			}
			continue // optional argument left at its default
		}
		if ch.n() > 1 {
			ch.param = c.addChoice(cl.name+"."+s.name, ch)
		}
		cl.args[s.name] = ch
	}
	if l.kind == LayerOutput && len(l.ints[ArgUnits]) != 1 {
		return nil, lerr(ArgUnits, "an output layer has exactly one number of units, got %d", len(l.ints[ArgUnits]))
	}
	if l.kind == LayerResidual {
		if len(l.children) == 0 {
			return nil, lerr("", "a residual block needs at least one layer")
		}
		for i, ch := range l.children {
			if ch.kind == LayerOutput || ch.kind == LayerFlatten || ch.kind == LayerGlobalAvgPool {
				return nil, &LayerError{Name: fmt.Sprintf("%s_%d", ch.kind, c.counts[ch.kind]+1),
					Path: append(slices.Clone(path), i), Err: fmt.Errorf("a residual block cannot hold a %s layer", ch.kind)}
			}
			sub, err := c.compile(ch, append(slices.Clone(path), i))
			if err != nil {
				return nil, err
			}
			cl.children = append(cl.children, sub)
		}
	}
	return cl, nil
}

func (c *compiler) checkInts(cl *compiled, arg string, vals []int) error {
	limit := maxDim
	if arg == ArgFilters || arg == ArgUnits {
		limit = maxWidth
	}
	for i, v := range vals {
		if v < 1 || v > limit {
			return &LayerError{Name: cl.name, Path: cl.path, Arg: arg, Err: fmt.Errorf("%d is outside [1, %d]", v, limit)}
		}
		if slices.Index(vals, v) < i {
			return &LayerError{Name: cl.name, Path: cl.path, Arg: arg, Err: fmt.Errorf("%d is listed twice", v)}
		}
	}
	return nil
}

// addChoice adds the categorical parameter of a multi-valued argument and
// records which of its choices shrinks an image least and most.
func (c *compiler) addChoice(name string, ch choice) int {
	var texts []string
	best, worst := 0, 0
	switch {
	case ch.ints != nil:
		for i, v := range ch.ints {
			texts = append(texts, strconv.Itoa(v))
			if v < ch.ints[best] {
				best = i
			}
			if v > ch.ints[worst] {
				worst = i
			}
		}
		if strings.HasSuffix(name, "."+ArgFilters) || strings.HasSuffix(name, "."+ArgUnits) {
			best, worst = 0, 0
		}
	case ch.floats != nil:
		for _, v := range ch.floats {
			texts = append(texts, strconv.FormatFloat(v, 'g', -1, 64))
		}
	default:
		texts = slices.Clone(ch.strs)
		if i := slices.Index(texts, "valid"); i >= 0 {
			worst = i
			best = slices.Index(texts, "same")
		}
	}
	return c.add(name, texts, best, worst)
}

func (c *compiler) add(name string, choices []string, best, worst int) int {
	c.params = append(c.params, NewCategorical(name, choices...))
	c.best = append(c.best, best)
	c.worst = append(c.worst, worst)
	return len(c.params) - 1
}

func keysOf[T any](m map[string][]T) map[string]int {
	out := make(map[string]int, len(m))
	for k := range m {
		out[k] = 0
	}
	return out
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// pick returns the index of the chosen value of an argument.
func (ch choice) pick(pt Point) (int, error) {
	if ch.param < 0 {
		return 0, nil
	}
	if ch.param >= len(pt) {
		return 0, fmt.Errorf("point has %d values, parameter %d is missing", len(pt), ch.param)
	}
	v := pt[ch.param]
	if v != math.Trunc(v) || v < 0 || int(v) >= ch.n() {
		return 0, fmt.Errorf("value %v of parameter %d is not a choice index", v, ch.param)
	}
	return int(v), nil
}
