// Package evolution is regularized (aging) evolution, the evolutionary
// algorithm of Real et al., "Regularized Evolution for Image Classifier
// Architecture Search" (AAAI 2019), with an optional genetic-algorithm mode
// that recombines two parents.
//
// The first PopulationSize trials are random. After that, the population is
// the last PopulationSize finished trials of the history, in trial ID order:
// older trials age out of it however good they were. Each new trial is a
// child of the best of SampleSize trials drawn at random (with replacement)
// from the population: a copy with one parameter changed (space.Mutate). In
// crossover mode two tournaments pick two parents, space.Crossover mixes them
// and the result is mutated. A child the history has seen already is drawn
// again a few times before the search settles for a random unseen point.
// Failed and pruned trials score -Inf and so never win a tournament against a
// completed one.
//
// Every draw comes from search.Rand(seed, h.Next) and every decision from the
// history, so an optimizer rebuilt from its seed asks the same points for the
// same history: the optimizer keeps no state at all.
//
// It registers itself as "evolution" with the options population_size,
// sample_size and crossover:
//
//	opt, err := search.NewOptimizer("evolution", sp, seed, search.Options{"population_size": 20})
package evolution
