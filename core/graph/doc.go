// Package graph holds Arch, MorphML's architecture intermediate representation:
// a directed acyclic graph of operations (nodes) with attributes, built by a
// search space and consumed by trainers, benchmarks, stores and plots.
//
// The package infers and validates tensor shapes, counts parameters and FLOPs,
// computes a canonical hash under which isomorphic architectures hash alike,
// mutates and crosses architectures, and converts them to JSON and DOT.
package graph
