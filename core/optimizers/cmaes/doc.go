// Package cmaes is CMA-ES, the covariance matrix adaptation evolution
// strategy (Hansen and Ostermeier 2001; the defaults of Hansen's tutorial,
// arXiv:1604.00772), on the continuous relaxation of a space: every
// parameter with more than one value is a coordinate of the unit cube
// (space.Param.ToUnit / FromUnit: categoricals as equal bins, integers
// rounded, log scales kept).
//
// As in goptuna, the algorithm is kept apart from its adapter: CMA is a
// framework-free CMA-ES with Sample and Update; Optimizer maps it onto
// MorphML's ask/tell. The adapter derives the state from the history: the
// trials with IDs g*lambda ... (g+1)*lambda-1 form generation g, and the
// generations whose trials have all finished are replayed in order (the
// state after them is cached, so an ask normally replays nothing or one
// generation). A trial is asked from the latest state: with trials running
// in parallel, a generation may be sampled from its predecessor's state. A
// generation's values are the trials' scores; failed and pruned trials rank
// last. The replay uses each trial's point mapped to the cube (a categorical
// at the centre of its bin), as Optuna's CmaEsSampler does.
//
// With Unique (the default) a sample whose point was asked already is drawn
// again (up to ten times, then a random unseen point is asked), which
// matters for discrete spaces. Trials with negative IDs (the warm-start
// trials of search.WarmStart) are no generation's: the search starts from
// the best of them instead of the centre. There are no restarts.
//
// Every draw comes from search.Rand(seed, h.Next), so an optimizer rebuilt
// from its seed asks the same points for the same history.
//
// It registers itself as "cmaes" with the options population_size, sigma0
// and unique:
//
//	opt, err := search.NewOptimizer("cmaes", sp, seed, search.Options{"population_size": 20})
package cmaes
