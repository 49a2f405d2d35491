// Package tpe is the Tree-structured Parzen Estimator of Bergstra et al.,
// "Algorithms for Hyper-Parameter Optimization" (NeurIPS 2011), with the
// defaults of Optuna's TPESampler (univariate; 10 startup trials, 24
// expected-improvement candidates, gamma(n) = min(ceil(0.1 n), 25), prior
// weight 1, Optuna's "magic clip" of the bandwidths and its ramp of weights
// that discounts old trials).
//
// After StartupTrials random trials, the scored trials are split by score:
// the best gamma(n) form the "good" group, the others the "bad" group. For
// every parameter on its own, TPE fits a Parzen estimator (a mixture with one
// kernel per trial plus a wide prior kernel) to each group, l(x) for the good
// and g(x) for the bad, draws EICandidates values from l and keeps the one
// with the largest l(x)/g(x), which maximizes expected improvement under the
// model. Numeric parameters (integers and floats, on a log scale when Log) use
// truncated Gaussian kernels on the continuous relaxation of the space
// (space.Param.ToUnit), integers rounded back; categoricals use a smoothed
// histogram.
//
// Failed trials are ignored. Pruned trials count as worse than every
// completed one (they always fall in the bad group). Running trials are
// ignored by default; with ConstantLiar they join the bad group, as if they
// had failed to improve, so that parallel workers spread out (Optuna's
// constant_liar). With Unique set (the default), a proposal the history has
// seen already is drawn again a few times before falling back to a random
// unseen point, so that a discrete space is not queried twice for the same
// point.
//
// # Speed
//
// Every draw comes from search.Rand(seed, h.Next) and the model from the
// history, so the optimizer is a function of its seed and the history. Its
// only state is what the history determines, kept up to date as the
// history grows (in a study each ask's history extends the last one; any
// other history starts the state over):
//
//   - per parameter, the finished trials' relaxed values in sorted order,
//     and the best completed trials (the good group), whose Parzen
//     estimators are refitted only when the group changes (goodcache.go);
//   - the bad group's Parzen estimators (incr.go), which change little from
//     one ask to the next: the new trial joins the group at its end unless
//     it enters the good group. Only the new kernels and their neighbours,
//     whose bandwidths change, are refitted. The kernels of the smallest
//     bandwidth (most of them once n > 100) are summed by a fast Gauss
//     transform (Hermite expansions per box, exact to a relative 1e-9) whose
//     moments are kept in two parts, sum k_i A_i and sum r_i k_i A_i (r_i a
//     trial's rank in the group), because Optuna's ramp of weights is linear
//     in the rank: an ask combines them, box by box as they are read,
//     instead of refitting O(n) kernels. The others are summed directly
//     within the window where they matter.
//
// Of the EICandidates draws, only those that can win are scored in full
// (bestCandidate): a cheap lower bound of g (the transform's nearest boxes)
// bounds each draw's score from above, and the draws are scored in
// decreasing order of that bound until it falls below the best score; the
// categorical parameters' weights are summed in one pass over the trials.
//
// The numbers are those of a refit (the same bandwidths, weights, windows
// and transform; the sums in another order, a relative 1e-14 apart), so a
// seed asks the same points as when every ask refitted the model and scored
// every draw (TestDigest pins them). Measured on the 20-dimension mixed
// space of scripts/benchoptim (shared 2-core machine, TPE grown from
// scratch, the fastest of 3 runs): 0.17 ms per ask+tell at 100 trials,
// 0.23 ms at 1,000 and about 0.35 ms at 5,000, against 0.3, 1.0 and 2.2 to
// 3.5 ms when every ask refitted; Optuna 5.0 takes 10 ms and 28 ms.
//
// It registers itself as "tpe" with the options n_startup_trials,
// n_ei_candidates, gamma, gamma_max, prior_weight, constant_liar and unique:
//
//	opt, err := search.NewOptimizer("tpe", sp, seed, search.Options{"n_startup_trials": 20})
package tpe
