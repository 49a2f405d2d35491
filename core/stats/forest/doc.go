// Package forest is a random-forest regressor (Breiman, "Random Forests",
// Machine Learning 2001) for surrogate models: regression trees grown on
// bootstrap samples, each split chosen among a random subset of the
// features to reduce the squared error most, as in SMAC (Hutter et al.,
// "Sequential Model-Based Optimization for General Algorithm
// Configuration", LION 2011). A prediction is the mean of the trees'
// predictions, and the spread of those predictions is its uncertainty:
// Predict returns both, PredictTrees every tree's prediction (for an
// ensemble acquisition such as Thompson sampling).
//
// Fitting is deterministic for a given *rand.Rand.
package forest
