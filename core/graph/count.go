package graph

// Counts are the size of an architecture.
type Counts struct {
	Params int64   // trainable parameters
	FLOPs  int64   // multiply-accumulates x2 for one sample's forward pass
	Shapes []Shape // the output shape of each node
}

// Count infers shapes and counts parameters and FLOPs.
// (Implemented in shape.go.)
func Count(a *Arch) (Counts, error) { return countArch(a) }
