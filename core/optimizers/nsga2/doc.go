// Package nsga2 is NSGA-II (Deb, Pratap, Agarwal and Meyarivan, "A fast and
// elitist multiobjective genetic algorithm: NSGA-II", IEEE TEVC 2002) on the
// points of a space, for any number of objectives, each maximized or
// minimized as the history's Directions say (with one objective it is an
// elitist genetic algorithm).
//
// Trials are grouped into generations by ID: generation g holds the trials
// g·N … g·N+N−1 (N = PopulationSize). Generation 0 is random. The parents of
// generation g ≥ 1 are P_g, the N best of P_(g−1) and the finished trials of
// generation g−1, by non-dominated rank and then crowding distance
// (search.NonDominatedSort, search.CrowdingDistance), the elitist
// environmental selection of NSGA-II; a trial whose objective vector copies
// that of an earlier one (an isomorphic architecture answered from the
// study's cache, say) only takes a place that distinct vectors leave empty. Each child picks two parents by binary
// tournament (lower rank wins, then larger crowding distance), recombines
// them with uniform crossover (space.Crossover) with probability
// CrossoverProb, and changes each parameter with probability MutationProb
// (default 1/number of parameters; at least one change when the child would
// equal a parent). A child the history has seen is bred again a few times
// before a random unseen point is taken.
//
// Failed and pruned trials, and complete trials without a value for every
// objective, never become parents. When trials of generation g−1 are still
// running (parallel evaluation), P_g is built from those that finished.
//
// Every draw comes from search.Rand(seed, id) and every decision from the
// history; the optimizer only caches the parents of generations whose
// trials have all finished. Study.BestTrials gives the Pareto front of a
// finished study.
//
// It registers itself as "nsga2" with the options population_size,
// crossover_prob and mutation_prob:
//
//	opt, err := search.NewOptimizer("nsga2", sp, seed, search.Options{"population_size": 20})
package nsga2
