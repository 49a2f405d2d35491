// Package random is uniform random search: every trial is a point drawn
// uniformly from the space (log-uniformly for log-scaled parameters), redrawn
// a few times when it was asked already.
//
// Random search is the baseline every other optimizer must beat; on
// NAS-Bench-201 it is a strong one. It registers itself as "random":
//
//	opt, err := search.NewOptimizer("random", sp, seed, nil)
package random
