package search

import (
	"fmt"

	"github.com/morphml/morphml/core/space"
)

// WarmStart returns an optimizer that asks opt with the prior trials shown
// as extra finished trials, before the study's own: they enter every
// History.Done first, in the order given, renumbered with negative IDs
// -len(prior) ... -1 so that they never clash with the study's trials (which
// are numbered from 0). The study itself never sees them: they are not
// stored, counted in the budget or reported as its best.
//
// A prior trial is anything the optimizer may learn from, such as the
// trials of an earlier study of a related task (the meta-learning layer
// feeds it); its values are read as values of this study's objectives, and
// optimizers that avoid asking a point twice avoid the prior points too.
// Running prior trials are left out. Ask fails when a prior trial's point
// is not a point of the study's space.
//
// Optimizers that number their work by trial ID (CMA-ES generations, the
// portfolio's allocation) ignore or special-case negative IDs; see their
// documentation.
func WarmStart(opt Optimizer, prior []Trial) Optimizer {
	w := &warmStart{opt: opt}
	for _, t := range prior {
		if t.State.Finished() {
			w.prior = append(w.prior, t.Clone())
		}
	}
	for i := range w.prior {
		w.prior[i].ID = i - len(w.prior)
	}
	return w
}

type warmStart struct {
	opt   Optimizer
	prior []Trial
}

// Ask implements Optimizer.
func (w *warmStart) Ask(h *History) (space.Point, error) {
	hs := *h
	if h.Space != nil {
		for _, t := range w.prior {
			if !h.Space.Contains(t.Params) {
				return nil, fmt.Errorf("warm start: prior trial %d (%v) is not a point of space %q", t.ID+len(w.prior), t.Params, h.Space.Name)
			}
		}
	}
	hs.Done = make([]Trial, 0, len(w.prior)+len(h.Done))
	hs.Done = append(append(hs.Done, w.prior...), h.Done...)
	return w.opt.Ask(&hs)
}

// Tell implements Optimizer: the study's trials are passed on.
func (w *warmStart) Tell(t Trial) error { return w.opt.Tell(t) }
