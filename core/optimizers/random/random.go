package random

import (
	"errors"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Tries is how many draws Ask makes to find a point the history has not seen
// before it gives up and returns the last draw.
const Tries = 100

// Optimizer is uniform random search.
type Optimizer struct {
	space *space.Space
	seed  int64
}

var _ search.Optimizer = (*Optimizer)(nil)

// New returns random search over sp.
func New(sp *space.Space, seed int64) *Optimizer {
	return &Optimizer{space: sp, seed: seed}
}

// Ask draws a point uniformly at random, avoiding points the history has
// seen (finished or running) when it can.
func (o *Optimizer) Ask(h *search.History) (space.Point, error) {
	hs := *h
	hs.Space = o.space
	return search.SampleUnseen(&hs, search.Rand(o.seed, h.Next), Tries), nil
}

// Tell does nothing: random search learns nothing.
func (o *Optimizer) Tell(search.Trial) error { return nil }

func init() {
	search.Register(search.Factory{
		Name: "random",
		Doc:  "uniform random search, avoiding points already asked",
		New: func(sp *space.Space, seed int64, _ search.Options) (search.Optimizer, error) {
			if sp == nil {
				return nil, errors.New("random: nil space")
			}
			return New(sp, seed), nil
		},
	})
}
