// Package stats holds the numerical pieces that MorphML's model-based
// optimizers share:
//
//   - the standard normal distribution and the acquisition functions built
//     on it (expected improvement and its logarithm, upper confidence
//     bound);
//   - a Matern 5/2 kernel with one length scale per group of input columns,
//     and Gaussian-process regression whose hyper-parameters are fitted by
//     maximizing the marginal likelihood (gonum/mat and lapack64 for the
//     linear algebra, gonum/optimize's L-BFGS for the fit);
//   - Encoding, which turns points of a search space into feature vectors
//     for such models (one-hot categoricals, relaxed numbers);
//   - MaximizeAcquisition, random candidates plus hill climbing over
//     one-parameter neighbourhoods, to find the point an acquisition
//     function prefers;
//   - what model-based optimizers read from a search.History: the points
//     already asked (Seen), the trials to learn from (Completed), the best
//     ones (TopPoints, BestAndRecent).
//
// The sub-package forest is a random-forest regressor that reports every
// tree's prediction, for a mean and a variance.
//
// Everything here is deterministic: randomness comes in as a *rand.Rand.
package stats
