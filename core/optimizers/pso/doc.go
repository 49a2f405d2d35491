// Package pso is particle swarm optimization (Kennedy and Eberhart,
// "Particle Swarm Optimization", ICNN 1995, with the constriction
// coefficients of Clerc and Kennedy, IEEE TEVC 2002) on the continuous
// relaxation of a space (space.ToUnit, space.FromUnit): every parameter is a
// coordinate in [0,1], a categorical's choices are equal bins of it, an
// integer is rounded.
//
// Trial id is particle id mod SwarmSize at iteration id / SwarmSize. The
// first SwarmSize trials are random: the particles' first positions. At
// iteration t ≥ 1 a particle moves from x, its position at iteration t−1
// (the point of trial id−SwarmSize, asked already, finished or not), with
// velocity
//
//	v' = W·v + C1·r1·(p − x) + C2·r2·(g − x),   x' = x + v'
//
// where v = x − (its position at t−2) (zero at t = 1), p is the particle's
// best finished trial, g the swarm's best finished trial, and r1, r2 uniform
// in [0,1] per coordinate. Velocities are clamped to VMax per coordinate and
// a position that leaves [0,1] is reflected back into it.
//
// Only decoded points are stored, so positions are points mapped back by
// space.ToUnit (categorical and integer values at the centres of their
// bins) and velocities are differences of such positions: the state of
// every particle is a function of the history. A new position that decodes
// to a point the history has seen gets a random kick (one parameter mutated,
// space.Mutate); at last a random unseen point is taken.
//
// Every draw comes from search.Rand(seed, id): the optimizer keeps no
// state.
//
// It registers itself as "pso" with the options swarm_size, w, c1, c2 and
// vmax:
//
//	opt, err := search.NewOptimizer("pso", sp, seed, search.Options{"swarm_size": 20})
package pso
