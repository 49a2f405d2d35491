// Package anneal is simulated annealing (Kirkpatrick, Gelatt and Vecchi,
// "Optimization by Simulated Annealing", Science 1983) over the points of a
// space.
//
// The search starts with Initial random trials; the chain starts at the best
// of them. Every later trial is a proposal: a copy of the chain's current
// point with one parameter changed (space.Mutate: another choice of a
// categorical, another value of an integer, a Gaussian step of a float). A
// proposal at least as good as the current point is always accepted; a worse
// one is accepted with probability exp(-Δ / (T·σ)), where Δ > 0 is the loss
// in score, σ a robust standard deviation of the scores seen so far
// (interquartile range / 1.349, so that the temperature does not depend on
// the objective's units nor on a few disastrous trials) and T the
// temperature of the trial, T0·Cooling^(id-Initial) on the trial ID.
//
// The optimizer keeps no state of its own (only a cache): Ask replays the finished trials of the
// history in ID order, each one a proposal against the chain's point at the
// time, and the random number that accepts or rejects trial id comes from
// its own stream search.Rand(seed, -1-id). Serially this is the textbook
// chain; with trials running in parallel, every finished trial is judged
// against the chain as the replay reaches it (an asynchronous chain). A
// proposal the history has seen is drawn again, then two changes are tried,
// then a random unseen point.
//
// It registers itself as "anneal" with the options initial, t0 and cooling:
//
//	opt, err := search.NewOptimizer("anneal", sp, seed, search.Options{"t0": 1})
package anneal
