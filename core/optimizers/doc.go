// Package optimizers makes every optimizer of MorphML available by name.
// Import it for its side effect:
//
//	import _ "github.com/morphml/morphml/core/optimizers"
//
//	opt, err := search.NewOptimizer("evolution", sp, seed, search.Options{"population_size": 20})
//
// Each algorithm lives in its own package below this one (random, evolution,
// local, ...) and registers a search.Factory from its init function.
//
// # Adding an optimizer
//
//  1. Make a package core/optimizers/<name> with a doc.go and a type
//     Optimizer implementing search.Optimizer, checked at compile time with
//     var _ search.Optimizer = (*Optimizer)(nil). Keep it pure: seeded, no
//     goroutines, no I/O. Ask must be a function of the seed and the history:
//     draw every random number from search.Rand(seed, h.Next) and read
//     everything else from h, so that an optimizer rebuilt from its seed asks
//     the same points for the same history (that is how a study resumes and
//     how parallel runs stay reproducible). State kept between calls may only
//     be a cache of what the history determines.
//  2. Give it a constructor that does not stutter (<name>.New(sp, seed, cfg))
//     and register it in init with search.Register(search.Factory{Name, Doc,
//     Options, New}); options are numbers (a categorical option is the index
//     of its choice) with a range and a default.
//  3. Add one line to optimizers.go: import _ ".../core/optimizers/<name>".
//  4. In its tests, call opttest.Conformance(t, "<name>", opts) for the
//     shared checks (reproducibility, points inside the space, option
//     validation), and add a test on a problem where the algorithm should
//     shine (opttest.Separable and opttest.Hits help). To see how it does on
//     NAS-Bench-201: morphml bench nb201 --optimizer <name>, or
//     bench.RunNB201 from Go.
package optimizers
