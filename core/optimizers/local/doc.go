// Package local is local search (hill climbing with random restarts) over the
// neighbourhood of space.Neighbours: the points that differ from a point in
// one parameter.
//
// A run starts from the best of Initial random points (RestartSamples for
// every run after the first) and evaluates the unseen neighbours of its
// current best point, the centre, in a random order. With the first-improvement
// strategy the centre moves as soon as a neighbour beats it; with
// best-improvement it moves to the best neighbour once all of them are known.
// When every neighbour of the centre is known and none is better (or a better
// one belongs to an earlier run, so the run has reached a basin already
// explored), the centre is a local optimum and the next trial starts a new
// run. Points evaluated by earlier runs are never asked again.
//
// The search is a function of the seed and the history: Ask replays the
// finished trials in ID order to find the runs and the centre, so an
// optimizer rebuilt from its seed asks the same points for the same history.
// The replay is cached between calls; the cache is only a shortcut.
//
// With trials running in parallel, a centre whose unseen neighbours are all
// running lends its turn to the next-best point of the run that still has
// unseen neighbours.
//
// It registers itself as "local" with the options initial, restart_samples
// and strategy ("first" or "best"):
//
//	opt, err := search.NewOptimizer("local", sp, seed, search.Options{"initial": 10})
package local
