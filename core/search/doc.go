// Package search runs studies: the immutable Trial record, the Optimizer
// (Ask/Tell) and Pruner interfaces that algorithms implement, the Storage a
// study persists to, and Study with its optimize loop, which evaluates trials
// in parallel, caches architectures by canonical hash, enforces budgets and
// stays reproducible from a seed.
//
// Optimizers are pure: seeded, no goroutines, no I/O. All concurrency lives in
// the loop here.
package search
