package graph

import "fmt"

// Op names understood by shape inference, the trainers and the canonical hash.
// Attributes are integers (see Node.Attrs); the attributes each op reads are
// listed beside it.
const (
	OpInput     = "input"   // the network input; shape from Arch.Input
	OpConv2D    = "conv2d"  // filters, kernel, stride (1), padding (-1 = same)
	OpMaxPool   = "maxpool" // pool, stride (= pool), padding (0)
	OpAvgPool   = "avgpool" // pool, stride (= pool), padding (0)
	OpGlobalAvg = "globalavgpool"
	OpBatchNorm = "batchnorm"
	OpReLU      = "relu"
	OpGELU      = "gelu"
	OpTanh      = "tanh"
	OpSigmoid   = "sigmoid"
	OpDropout   = "dropout" // rate_permille (0..999)
	OpFlatten   = "flatten"
	OpDense     = "dense" // units
	OpAdd       = "add"   // element-wise sum of all inputs (same shapes)
	OpConcat    = "concat"
	OpIdentity  = "identity" // skip connection
	OpZero      = "zero"     // outputs zeros of the input's shape ("none" edge)
	OpOutput    = "output"   // units: the classifier head (dense + softmax)
)

// Shape is a tensor shape without the batch dimension: [C, H, W] for images,
// [N] for vectors.
type Shape []int

// Size is the number of elements.
func (s Shape) Size() int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

func (s Shape) String() string { return fmt.Sprint([]int(s)) }

// Equal reports whether two shapes are the same.
func (s Shape) Equal(o Shape) bool {
	if len(s) != len(o) {
		return false
	}
	for i := range s {
		if s[i] != o[i] {
			return false
		}
	}
	return true
}

// Node is one operation. Inputs are indices of earlier nodes in Arch.Nodes.
type Node struct {
	Op     string         `json:"op"`
	Name   string         `json:"name,omitempty"` // a readable label, e.g. "conv2d_1" or "cell3/edge2"
	Attrs  map[string]int `json:"attrs,omitempty"`
	Inputs []int          `json:"inputs,omitempty"`
}

// Attr returns the attribute or def when it is unset.
func (n Node) Attr(key string, def int) int {
	if v, ok := n.Attrs[key]; ok {
		return v
	}
	return def
}

// Arch is an architecture: nodes in topological order (every input index is
// smaller than the node's own index), node 0 is the input, the last node the
// output. Arch values are treated as immutable once built.
type Arch struct {
	Input Shape  `json:"input"`
	Nodes []Node `json:"nodes"`
	// Labels carries facts about where the architecture came from, such as
	// the NAS-Bench-201 cell string under the key "nb201". Labels take no part
	// in the canonical hash.
	Labels map[string]string `json:"labels,omitempty"`
}

// Add appends a node and returns its index.
func (a *Arch) Add(op string, attrs map[string]int, inputs ...int) int {
	a.Nodes = append(a.Nodes, Node{Op: op, Attrs: attrs, Inputs: inputs})
	return len(a.Nodes) - 1
}

// Output is the index of the output node (the last one).
func (a *Arch) Output() int { return len(a.Nodes) - 1 }

// LiveNodes marks the nodes the output depends on (the input and the
// output always); the input of a zero node is not needed. Training engines
// create and initialise weights for live nodes only, in node order, so that
// every engine draws the same initial weights from a seed.
func LiveNodes(a *Arch) []bool {
	live := make([]bool, len(a.Nodes))
	live[0], live[a.Output()] = true, true
	for i := a.Output(); i > 0; i-- {
		if !live[i] || a.Nodes[i].Op == OpZero {
			continue
		}
		for _, j := range a.Nodes[i].Inputs {
			live[j] = true
		}
	}
	return live
}
