package tpe

import "slices"

// goodCache holds the good group's estimator of every numeric parameter.
// The good group's weights depend on the group alone (Optuna's ramp over
// its trials in Done order), so an estimator is refitted only when the
// group changed (in a long study, one ask in ten or fewer).
//
// mixture.build sizes its windows by how many bandwidth classes the
// mixture holds, and a single mixture reused for every parameter (as
// before this cache) held as many as any fit had needed so far: every
// estimator is given that many (classes), and one fitted with fewer is
// refitted, so that the windows, hence the numbers, are those of the
// shared mixture.
type goodCache struct {
	mix     []mixture
	fitted  []int // len(classes) each was fitted with; 0: not fitted
	group   []int // the good group they were fitted to (Done indices)
	epoch   int   // the cache epoch of group
	classes int   // the most classes any fit needed
	valid   bool  // group and epoch hold
}

// goodMixture returns the estimator of numeric parameter k, ready for a
// fit: with at least as many classes as any earlier fit.
func (o *Optimizer) goodMixture(k int) *mixture {
	gc := &o.w.goods
	if len(gc.mix) != len(o.num) {
		gc.mix, gc.fitted = make([]mixture, len(o.num)), make([]int, len(o.num))
	}
	m := &gc.mix[k]
	m.sampling = true
	for len(m.classes) < gc.classes {
		m.classes = append(m.classes, kclass{})
	}
	return m
}

// goodCached reports whether the estimator of parameter k was fitted to the
// good group of m (and with the classes a fit would have now).
func (o *Optimizer) goodCached(m *model, k int) bool {
	gc := &o.w.goods
	if !gc.valid || gc.epoch != o.c.epoch || !slices.Equal(gc.group, m.good) {
		gc.valid, gc.epoch, gc.group = true, o.c.epoch, append(gc.group[:0], m.good...)
		clear(gc.fitted)
		return false
	}
	return gc.classes > 0 && gc.fitted[k] == gc.classes
}

// goodBuilt records the fit of parameter k's estimator; m nil: a fit that
// is not kept (the group is not known to be the cached one).
func (o *Optimizer) goodBuilt(m *model, k int) {
	gc := &o.w.goods
	n := len(gc.mix[k].classes)
	gc.classes = max(gc.classes, n)
	if m == nil {
		gc.valid = false
		return
	}
	gc.fitted[k] = n
}
