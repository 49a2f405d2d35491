// Package gp is Bayesian optimization with a Gaussian process (Snoek et al.,
// "Practical Bayesian Optimization of Machine Learning Algorithms", NeurIPS
// 2012): after StartupTrials random trials, a GP with a Matern 5/2 kernel
// models the score of the completed trials, and each ask maximizes an
// acquisition function of the GP's prediction, expected improvement
// (default, in its logarithmic form so that it keeps ranking candidates where
// the improvement underflows) or the upper confidence bound mean + Beta*std.
//
// Points are encoded by stats.Encoding: categoricals one-hot, numbers by the
// continuous relaxation of the space (log scales kept); the kernel has one
// length scale per parameter (the one-hot columns of a categorical share
// theirs, which makes it a categorical-aware kernel: the distance between
// two choices is the same for every pair). The hyper-parameters (amplitude,
// length scales, noise) maximize the marginal likelihood with weak priors
// (stats.FitGPHyper: L-BFGS from gonum/optimize, from the default point and
// Restarts random ones). They are refitted on every trial up to 20
// completed trials, then each time the data grew by RefitGrowth (10%) since
// the last fit, on the completed trials known at that point; in between the
// GP is conditioned on all the data with the last fitted hyper-parameters.
// With more than MaxTrain completed trials the GP sees the MaxTrain/2 best
// and the most recent others, which bounds the cost of an ask.
//
// The acquisition is maximized over Candidates random points and the
// neighbourhoods of the five best trials, followed by hill climbing
// (stats.MaximizeAcquisition); points already asked are never proposed
// again. Failed and pruned trials are left out of the model; running trials
// are ignored except that their points are not proposed again.
//
// Every draw comes from search.Rand(seed, h.Next) (the random restarts of
// a fit from one seeded by the number of trials it uses), and the model
// from the history, so an optimizer rebuilt from its seed asks the same
// points for the same history; the only state is a cache of the last fit.
//
// It registers itself as "gp" with the options n_startup_trials,
// acquisition ("ei" or "ucb"), beta, candidates, max_train, restarts and
// refit_growth:
//
//	opt, err := search.NewOptimizer("gp", sp, seed, search.Options{"acquisition": 1, "beta": 3})
package gp
