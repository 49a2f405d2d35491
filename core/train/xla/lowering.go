package xla

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:revive // GoMLX ops read best unqualified.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"

	"github.com/morphml/morphml/core/graph"
)

// Lowering says how convolutions and pooling become backend ops.
type Lowering string

// Lowerings known to Engine.Lowering.
const (
	// LowerAuto is LowerNative when the backend has every op it needs
	// (XLA plugins do), else LowerGather.
	LowerAuto Lowering = ""
	// LowerNative uses the backend's convolution (ConvGeneral) and
	// window reductions (ReduceWindow), whose gradients need Reverse,
	// Pad and SelectAndScatter: fast on XLA, not available on GoMLX's
	// pure-Go backend.
	LowerNative Lowering = "native"
	// LowerGather unfolds windows with Gather (im2col) and reduces or
	// multiplies them: it needs only ops the pure-Go backend has, and
	// breaks ties in max pooling as the gorgonia engine does (first max).
	LowerGather Lowering = "gather"
)

// nativeNeeds lists, per arch op, the backend ops LowerNative needs for
// the forward pass and the gradient.
var nativeNeeds = map[string][]backends.OpType{
	graph.OpConv2D:  {backends.OpTypeConvGeneral, backends.OpTypeReverse},
	graph.OpMaxPool: {backends.OpTypeReduceWindow, backends.OpTypeSelectAndScatterMax},
	graph.OpAvgPool: {backends.OpTypeReduceWindow, backends.OpTypePad},
}

// gatherNeeds are the backend ops every network needs with LowerGather
// (and the rest of the engine).
var gatherNeeds = []backends.OpType{
	backends.OpTypeGather, backends.OpTypeScatterSum, backends.OpTypeDotGeneral, backends.OpTypeConcatenate,
	backends.OpTypeReduceSum, backends.OpTypeReduceMax, backends.OpTypeArgMinMax, backends.OpTypeRNGBitGenerator,
	backends.OpTypeErf, backends.OpTypeLogistic, backends.OpTypeTanh, backends.OpTypeRsqrt,
}

// UnsupportedOpError says that the backend cannot run an op of the
// architecture with the chosen lowering.
type UnsupportedOpError struct {
	Node     string   // the architecture node, e.g. `node 3 (conv2d)`
	Op       string   // the architecture op
	Backend  string   // the backend's name, e.g. "go"
	Missing  []string // the backend ops it lacks
	Lowering Lowering
}

func (e *UnsupportedOpError) Error() string {
	hint := ""
	if e.Lowering == LowerNative {
		hint = fmt.Sprintf("; Lowering %q (the default on this backend) runs it", LowerGather)
	}
	return fmt.Sprintf("xla: %s: the %q backend cannot train %s with lowering %q: it lacks the backend op(s) %s%s",
		e.Node, e.Backend, e.Op, e.Lowering, strings.Join(e.Missing, ", "), hint)
}

// MissingOps returns the backend ops that training an architecture op with
// LowerNative needs and the backend lacks (nil when it has them all).
func MissingOps(b backends.Backend, op string) []string {
	var out []string
	caps := b.Capabilities().Operations
	for _, t := range nativeNeeds[op] {
		if !caps[t] {
			out = append(out, t.String())
		}
	}
	return out
}

// chooseLowering resolves LowerAuto for a backend and checks that the
// backend can run every op of m with the lowering.
func chooseLowering(b backends.Backend, name string, low Lowering, a *graph.Arch, live []bool) (Lowering, error) {
	caps := b.Capabilities().Operations
	switch low {
	case LowerAuto:
		low = LowerNative
		for _, ts := range nativeNeeds {
			for _, t := range ts {
				if !caps[t] {
					low = LowerGather
				}
			}
		}
	case LowerNative, LowerGather:
	default:
		return "", fmt.Errorf("xla: unknown lowering %q (known: %q, %q)", low, LowerNative, LowerGather)
	}
	for _, t := range gatherNeeds {
		if !caps[t] {
			return "", &UnsupportedOpError{Node: "the network", Op: "training", Backend: name, Missing: []string{t.String()}, Lowering: low}
		}
	}
	if low == LowerNative {
		for i, n := range a.Nodes {
			if !live[i] {
				continue
			}
			if k, stride, pad := graph.ConvGeometry(n); n.Op == graph.OpConv2D && k == 1 && stride == 1 && pad == 0 {
				continue // pointwise: a matrix product in both lowerings
			}
			if miss := MissingOps(b, n.Op); len(miss) > 0 {
				return "", &UnsupportedOpError{Node: nodeLabel(a, i), Op: n.Op, Backend: name, Missing: miss, Lowering: low}
			}
		}
	}
	return low, nil
}

var nchw = ConvolveAxesConfig{
	InputBatch: 0, InputChannels: 1, InputSpatial: []int{2, 3},
	KernelOutputChannels: 0, KernelInputChannels: 1, KernelSpatial: []int{2, 3},
	OutputBatch: 0, OutputChannels: 1, OutputSpatial: []int{2, 3},
}

// conv is a 2-D convolution without bias: x [B,C,H,W], w [F,C,K,K] ->
// out [B,F,OH,OW].
func (p *pass) conv(x, w *Node, k, stride, pad int, out []int) *Node {
	b, c, h, wd := dims4(x)
	f, oh, ow := out[1], out[2], out[3]
	if k == 1 && stride == 1 && pad == 0 { // pointwise: one matrix product
		y := p.matmul(Reshape(w, f, c), []int{1}, Reshape(x, b, c, h*wd), []int{1}) // [F, B, HW]
		return Reshape(TransposeAllAxes(y, 1, 0, 2), b, f, oh, ow)
	}
	if p.m.lowering == LowerNative {
		return ConvGeneral(x, w, nchw, []int{stride, stride}, [][2]int{{pad, pad}, {pad, pad}}, nil, nil, 1, 1)
	}
	patches := p.unfold(x, k, stride, pad, oh, ow, 0) // [KK, OH*OW, B*C]
	patches = Reshape(patches, k*k, oh*ow, b, c)
	// Contract C and KK: [F, C, KK] x [KK, OHW, B, C] -> [F, OHW, B].
	y := p.matmul(Reshape(w, f, c, k*k), []int{1, 2}, patches, []int{3, 0})
	return Reshape(TransposeAllAxes(y, 2, 0, 1), b, f, oh, ow)
}

// pool is max or average pooling over square windows; padding is ignored
// (a max never picks it, an average divides by the real positions).
func (p *pass) pool(x *Node, isMax bool, k, stride, pad int, out []int) *Node {
	b, c, h, w := dims4(x)
	oh, ow := out[2], out[3]
	if p.m.lowering == LowerNative {
		win, str, pads := []int{1, 1, k, k}, []int{1, 1, stride, stride}, [][2]int{{0, 0}, {0, 0}, {pad, pad}, {pad, pad}}
		if isMax {
			return BackendReduceWindow(x, backends.ReduceOpMax, win, str, nil, nil, pads)
		}
		sum := BackendReduceWindow(x, backends.ReduceOpSum, win, str, nil, nil, pads)
		return Mul(sum, BroadcastToDims(Const(p.g, invCounts(h, w, k, stride, pad, oh, ow, 4)), b, c, oh, ow))
	}
	fill := 0.0
	if isMax {
		fill = math.Inf(-1)
	}
	patches := p.unfold(x, k, stride, pad, oh, ow, fill) // [KK, OH*OW, B*C]
	var y *Node
	if isMax {
		// The first maximum of each window, as the gorgonia engine picks:
		// ArgMax resolves ties to the smallest index.
		arg := ArgMax(patches, 0) // [OHW, BC]
		dims := patches.Shape().Dimensions
		pick := Equal(Iota(p.g, shapes.Make(dtypes.Int32, dims...), 0), BroadcastToDims(InsertAxes(arg, 0), dims...))
		// Where, not a product with a mask: the padding holds -inf.
		y = ReduceSum(Where(pick, patches, ZerosLike(patches)), 0)
	} else {
		y = Mul(ReduceSum(patches, 0), BroadcastToDims(Const(p.g, invCounts(h, w, k, stride, pad, oh, ow, 2)), oh*ow, b*c))
	}
	return TransposeAllAxes(Reshape(y, oh, ow, b, c), 2, 3, 0, 1)
}

// unfold gathers the windows of x [B,C,H,W] into [K*K, OH*OW, B*C];
// positions in the padding read fill.
func (p *pass) unfold(x *Node, k, stride, pad, oh, ow int, fill float64) *Node {
	b, c, h, w := dims4(x)
	flat := Reshape(TransposeAllAxes(x, 2, 3, 0, 1), h*w, b*c)
	flat = Concatenate([]*Node{flat, BroadcastToDims(Scalar(p.g, dtypes.Float32, fill), 1, b*c)}, 0)
	idx := make([]int32, 0, k*k*oh*ow)
	for dy := range k {
		for dx := range k {
			for oy := range oh {
				for ox := range ow {
					y, xx := oy*stride-pad+dy, ox*stride-pad+dx
					if y < 0 || y >= h || xx < 0 || xx >= w {
						idx = append(idx, int32(h*w))
					} else {
						idx = append(idx, int32(y*w+xx))
					}
				}
			}
		}
	}
	ind := Const(p.g, tensors.FromFlatDataAndDimensions(idx, k*k*oh*ow, 1))
	return Reshape(Gather(flat, ind), k*k, oh*ow, b*c)
}

// invCounts is 1 / (real positions in each window), as [1,1,OH,OW]
// (rank 4) or [OH*OW, 1] (rank 2).
func invCounts(h, w, k, stride, pad, oh, ow, rank int) *tensors.Tensor {
	d := make([]float32, oh*ow)
	for oy := range oh {
		for ox := range ow {
			y0, x0 := oy*stride-pad, ox*stride-pad
			y1, x1 := min(y0+k, h), min(x0+k, w)
			y0, x0 = max(y0, 0), max(x0, 0)
			d[oy*ow+ox] = 1 / float32((y1-y0)*(x1-x0))
		}
	}
	if rank == 4 {
		return tensors.FromFlatDataAndDimensions(d, 1, 1, oh, ow)
	}
	return tensors.FromFlatDataAndDimensions(d, oh*ow, 1)
}

func dims4(x *Node) (b, c, h, w int) {
	d := x.Shape().Dimensions
	return d[0], d[1], d[2], d[3]
}
