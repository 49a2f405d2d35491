// Package space describes what a search explores: named parameters
// (categorical, integer, float, log-scaled), layer-sequence and cell (DAG)
// architecture spaces that decode a point into a graph.Arch, and constraints
// (maximum parameters, maximum FLOPs) that reject architectures before they
// are evaluated.
//
// Every space is flat: a Point holds one float64 per parameter, in the order
// of Space.Params. A categorical value is the index of its choice, an integer
// is the integer itself, a float the float. Optimizers work on points and the
// helpers here (Sample, Neighbours, Mutate, Crossover), so no optimizer needs
// to know what a parameter means.
//
// The .morph text DSL that writes spaces and experiments as text lives in the
// subpackage morph.
package space
