package opttest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Objective scores a point; ok false makes the trial Failed.
type Objective func(p space.Point) (value float64, ok bool)

// Ask is one recorded question and answer: the history an optimizer saw and
// the point it asked.
type Ask struct {
	History search.History
	Point   space.Point
}

// Run asks and tells opt for budget trials of f, one at a time, and returns
// the trials in ID order.
func Run(opt search.Optimizer, sp *space.Space, dirs []search.Direction, f Objective, budget int) ([]search.Trial, error) {
	trials, _, err := RunParallel(opt, sp, dirs, f, budget, 1)
	return trials, err
}

// RunParallel simulates workers evaluations at a time: it keeps asking while
// fewer than workers trials run, then finishes one of the running trials
// (chosen by a fixed rule, not always the oldest, so that trials finish out
// of ID order). It returns the trials in ID order and every ask with the
// history it was made from.
func RunParallel(opt search.Optimizer, sp *space.Space, dirs []search.Direction, f Objective, budget, workers int) ([]search.Trial, []Ask, error) {
	if len(dirs) == 0 {
		dirs = []search.Direction{search.Maximize}
	}
	var done, running []search.Trial
	var asks []Ask
	order := rand.New(rand.NewPCG(1, 2)) // which running trial finishes next
	next := 0
	for next < budget || len(running) > 0 {
		if next < budget && len(running) < workers {
			h := search.History{Space: sp, Directions: dirs, Done: done, Running: running, Next: next}
			p, err := opt.Ask(&h)
			if err != nil {
				return nil, nil, fmt.Errorf("ask %d: %w", next, err)
			}
			asks = append(asks, Ask{History: snapshot(h), Point: p.Clone()})
			running = append(running, search.Trial{ID: next, Params: p, State: search.Running})
			next++
			continue
		}
		i := order.IntN(len(running))
		t := running[i]
		running = append(running[:i:i], running[i+1:]...)
		if v, ok := f(t.Params); ok {
			t.State, t.Values = search.Complete, []float64{v}
		} else {
			t.State, t.Attrs = search.Failed, map[string]string{search.AttrError: "objective failed"}
		}
		done = append(done[:len(done):len(done)], t)
		sort.Slice(done, func(a, b int) bool { return done[a].ID < done[b].ID })
		if err := opt.Tell(t); err != nil {
			return nil, nil, fmt.Errorf("tell %d: %w", t.ID, err)
		}
	}
	return done, asks, nil
}

// snapshot copies a history's slices so that later appends cannot change it.
func snapshot(h search.History) search.History {
	h.Done = append([]search.Trial(nil), h.Done...)
	h.Running = append([]search.Trial(nil), h.Running...)
	return h
}

// BestValue is the best objective value among trials (by direction), and
// -Inf (+Inf when minimizing) when none completed.
func BestValue(trials []search.Trial, dirs []search.Direction) float64 {
	h := search.History{Directions: dirs, Done: trials}
	b, ok := h.Best()
	if !ok {
		if len(dirs) > 0 && dirs[0] == search.Minimize {
			return math.Inf(1)
		}
		return math.Inf(-1)
	}
	return b.Values[0]
}

// Separable returns a space of params categorical parameters with choices
// choices each and an objective that is a sum of one term per parameter
// (fixed pseudo-random weights), so that its single optimum, also returned
// with its value, is known: the best choice of every parameter.
func Separable(params, choices int) (*space.Space, Objective, space.Point, float64) {
	sp := &space.Space{Name: "separable"}
	rng := rand.New(rand.NewPCG(42, 7))
	w := make([][]float64, params)
	best := make(space.Point, params)
	opt := 0.0
	for i := range params {
		cs := make([]string, choices)
		w[i] = make([]float64, choices)
		for c := range choices {
			cs[c] = fmt.Sprint("c", c)
			w[i][c] = rng.Float64()
			if w[i][c] > w[i][int(best[i])] {
				best[i] = float64(c)
			}
		}
		opt += w[i][int(best[i])]
		sp.Params = append(sp.Params, space.NewCategorical(fmt.Sprint("x", i), cs...))
	}
	f := func(p space.Point) (float64, bool) {
		s := 0.0
		for i, v := range p {
			s += w[i][int(v)]
		}
		return s, true
	}
	return sp, f, best, opt
}

// Mixed returns a space with every kind of parameter (categorical, integer,
// log integer, float, log float) and a smooth objective on it.
func Mixed() (*space.Space, Objective) {
	sp := &space.Space{Name: "mixed", Params: []space.Param{
		space.NewCategorical("act", "relu", "gelu", "tanh"),
		space.NewInt("layers", 1, 8, false),
		space.NewInt("width", 8, 512, true),
		space.NewFloat("dropout", 0, 0.5, false),
		space.NewFloat("lr", 1e-4, 1e-1, true),
		space.NewCategorical("fixed", "only"),
	}}
	f := func(p space.Point) (float64, bool) {
		return -math.Abs(p[0]-1) - math.Abs(p[1]-5)/4 - math.Abs(math.Log2(p[2]/64))/3 -
			math.Abs(p[3]-0.2) - math.Abs(math.Log10(p[4])+2.5), true
	}
	return sp, f
}

// Hits counts the seeds 1..seeds for which the optimizer (built by name with
// opts) asks the point want within budget serial trials of f.
func Hits(name string, opts search.Options, sp *space.Space, f Objective, want space.Point, budget, seeds int) (int, error) {
	n := 0
	for seed := 1; seed <= seeds; seed++ {
		o, err := search.NewOptimizer(name, sp, int64(seed), opts)
		if err != nil {
			return 0, err
		}
		trials, err := Run(o, sp, nil, f, budget)
		if err != nil {
			return 0, err
		}
		for _, t := range trials {
			if t.Params.Equal(want) {
				n++
				break
			}
		}
	}
	return n, nil
}
