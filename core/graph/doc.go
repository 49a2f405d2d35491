// Package graph holds Arch, MorphML's architecture intermediate representation:
// a directed acyclic graph of operations (nodes) with integer attributes,
// built by a search space and consumed by trainers, benchmarks, stores and
// plots.
//
// Nodes are listed in topological order: node 0 is the input (its shape is
// Arch.Input), every node reads only earlier nodes, and the last node is the
// output. The package
//
//   - validates an architecture and infers the output shape of every node
//     (Validate, InferShapes); errors name the node, as in
//     node 5 "dense_2" (dense): input shape [64 7 7] is not a vector; add a flatten or globalavgpool layer before it
//   - counts trainable parameters and FLOPs (Count, with the conventions
//     below);
//   - computes a canonical hash under which isomorphic architectures hash
//     alike (Hash), matching NAS-Bench-201's 6,466 isomorphism classes;
//   - mutates and crosses architectures (Mutate, Crossover) for network
//     morphism and evolutionary search;
//   - converts them to and from JSON (encoding/json, FromJSON), to Graphviz
//     DOT (DOT) and to a Keras-like text table (Summary);
//   - draws them as layered diagrams with gonum/plot (NewDiagram,
//     CellDiagram; Arch's SVG, PNG and HTML methods are the rich display
//     hooks of notebook kernels).
//
// Shapes leave out the batch dimension: [C H W] for images, [N] for
// vectors. Parameter counts: conv2d kernel*kernel*Cin*filters (no bias, as
// a convolution is meant to be followed by batchnorm); dense and output
// in*units + units; batchnorm 2*C (scale and shift). FLOPs for one sample:
// conv2d, dense and output 2*MACs; maxpool and avgpool pool*pool per output
// element; globalavgpool and relu, gelu, tanh, sigmoid one per element;
// batchnorm two per element; add inputs-1 per element; input, dropout,
// flatten, identity, zero and concat none.
//
// Arch values are treated as immutable once built: functions here never
// modify their arguments and return new values (Arch.Clone makes a deep
// copy).
package graph
