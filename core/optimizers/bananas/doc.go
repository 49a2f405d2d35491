// Package bananas is predictor-guided search in the spirit of BANANAS
// (White, Neiswanger and Savani, "BANANAS: Bayesian Optimization with
// Neural Architectures for Neural Architecture Search", AAAI 2021): an
// ensemble predictor trained on the path encoding of the architectures
// seen so far ranks candidate architectures, mutations of the best ones,
// by an acquisition function, and the best-ranked candidate is asked.
//
// The encoding (Encoding) is BANANAS's path encoding for cell spaces: one
// binary feature per sequence of operations along an input-to-output path
// of the cell (84 features for NAS-Bench-201), so that cells computing the
// same paths look alike whatever their node numbering; other parameters,
// and spaces without cell edges, are encoded one-hot (stats.Encoding).
//
// The ensemble is a random forest (core/stats/forest) of Ensemble trees,
// each tree a member: their mean is the prediction and their spread the
// uncertainty. (BANANAS trains five small neural networks; on NAS-Bench-201
// trees gave the same results at a fraction of the cost, and keep every
// ask a deterministic function of the history.) The acquisition is
// independent Thompson sampling, as in the paper: each candidate's value is
// drawn from a normal distribution with the ensemble's mean and standard
// deviation; UCB (mean + Beta*std) is the alternative. Candidates are
// Mutations mutants (one or two parameters changed) of each of the Parents
// best trials, not asked before.
//
// After StartupTrials random trials the predictor is retrained from scratch
// at every ask, with the random source search.Rand(seed, h.Next), so the
// optimizer keeps no state and asks the same point for the same history.
// Failed and pruned trials are left out of the predictor's data.
//
// On NAS-Bench-201 (CIFAR-10, 100 runs of 300 queries) it finds the
// best-validation cell in almost every run (94.37 ± 0.06 test accuracy).
//
// It registers itself as "bananas" with the options n_startup_trials,
// ensemble, parents, mutations, acquisition ("its" or "ucb") and beta:
//
//	opt, err := search.NewOptimizer("bananas", sp, seed, search.Options{"ensemble": 20})
package bananas
