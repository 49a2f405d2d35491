// Package smac is SMAC-style Bayesian optimization with a random forest
// (Hutter et al., "Sequential Model-Based Optimization for General
// Algorithm Configuration", LION 2011): after StartupTrials random trials,
// a random forest (core/stats/forest) fitted to the completed trials
// predicts the score of a point as the mean of its trees, with the spread of
// the trees as the uncertainty, and each ask maximizes the expected
// improvement over the best score (in its logarithmic form, which keeps
// ranking candidates where the improvement underflows).
//
// Points are encoded by stats.Encoding (categoricals one-hot, numbers by
// the continuous relaxation). The acquisition is maximized as SMAC does:
// local search from the best trials (Incumbents of them, one-parameter
// neighbourhoods) and from the best of Candidates random points
// (stats.MaximizeAcquisition). SMAC's random interleaving is kept: with
// probability RandomFraction an ask is a uniformly random point instead,
// which guarantees that the whole space keeps being explored. Points already
// asked are never proposed again.
//
// Failed and pruned trials are left out of the model; running trials are
// ignored except that their points are not proposed again. The forest is
// grown from search.Rand(seed, h.Next) at every ask (it costs milliseconds),
// so an optimizer rebuilt from its seed asks the same points for the same
// history and keeps no state at all.
//
// It registers itself as "smac" with the options n_startup_trials, trees,
// candidates, incumbents, random_fraction and xi:
//
//	opt, err := search.NewOptimizer("smac", sp, seed, search.Options{"trees": 20})
package smac
