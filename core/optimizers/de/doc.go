// Package de is differential evolution (Storn and Price, "Differential
// Evolution – A Simple and Efficient Heuristic for Global Optimization over
// Continuous Spaces", J. Global Optimization 1997) on the continuous
// relaxation of a space (space.ToUnit, space.FromUnit): every parameter is a
// coordinate in [0,1], a categorical's choices are equal bins of it, an
// integer is rounded.
//
// Trial id belongs to slot id mod PopulationSize. The first PopulationSize
// trials are random. After that the population member of each slot is the
// best finished trial of that slot (the latest on ties), which is exactly
// DE's greedy one-to-one selection: a trial replaces its target when it is
// at least as good. Trial id is a trial vector for the member of its slot
// (the target): a mutant v = base + F·(x_r1 − x_r2) from distinct other
// members (base a random member for the rand/1 strategy, the best member for
// best/1, or the target moved towards the best for current-to-best/1),
// crossed with the target coordinate-wise with probability CR (binomial
// crossover, at least one coordinate from the mutant), then decoded.
// Coordinates that leave [0,1] bounce back between the target and the bound.
//
// Only decoded points are stored, so a member's vector is its point mapped
// back by space.ToUnit: categorical and integer values at the centres of
// their bins. (Placing them at random inside their bins was measured too, for DE and
// PSO, and did worse on NAS-Bench-201.) A trial vector that
// decodes to a point the history has seen is drawn again; after a few tries
// the target is mutated (space.Mutate), and at last a random unseen point is
// taken.
//
// Every draw comes from search.Rand(seed, id) and everything else from the
// history: the optimizer keeps no state.
//
// It registers itself as "de" with the options population_size, f, cr and
// strategy:
//
//	opt, err := search.NewOptimizer("de", sp, seed, search.Options{"population_size": 20})
package de
