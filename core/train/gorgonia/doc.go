// Package gorgonia is the CPU training engine: it turns a graph.Arch into
// a network on gorgonia.org/gorgonia (v0.9.18) and trains it in float32.
//
// Gorgonia provides the expression graph, symbolic differentiation, the
// tape machines that run the forward and backward passes, and the Adam and
// momentum solvers. Every op of core/graph is a kernel of this package with
// a hand-written forward and backward pass on flat slices (see kernel):
// conv2d (im2col and one matrix product per sample, output written in NCHW
// directly), max and average pooling (padding ignored, as PyTorch's
// count_include_pad=False), global average pooling, batch normalisation
// with per-channel scale and shift and running statistics, relu, gelu
// (exact), tanh, sigmoid, seeded inverted dropout, dense, flatten, concat,
// add and the softmax cross-entropy head. Identity nodes pass their input
// on; zero nodes drop out of sums, and only the nodes the output depends on
// are built.
//
// Matrix products use gonum's pure-Go BLAS; built with -tags openblas
// (Debian: libopenblas-dev, cgo) they use OpenBLAS, single-threaded since
// searches train several networks at once. Weights are He-normal from the
// seed. A network has a fixed batch size; inference pads the last batch.
// A panic inside a kernel or while building comes back as an error that
// names the architecture node.
package gorgonia
