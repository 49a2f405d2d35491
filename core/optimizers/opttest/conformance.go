package opttest

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Conformance runs the checks every registered optimizer must pass:
//   - Factory: a doc, valid options with defaults in range, unknown and
//     out-of-range options rejected, a nil space rejected;
//   - InsideSpace: every ask is a point of the space, serially and with
//     trials running in parallel, with failed trials, when minimizing, and
//     when the space is smaller than the budget;
//   - Reproducible: an optimizer rebuilt from its seed asks the same point
//     for every recorded history (with or without the finished trials told
//     again), and a used optimizer asked an older history again agrees;
//   - Seed: two seeds ask different points;
//   - Study: driven through a search.Study (whose histories share their
//     slices and answer Seen from an index), it asks the points it asks
//     from the fresh histories of RunParallel.
//
// opts (nil for the defaults) configures the optimizer for all but the
// Factory checks, so that every mode of an optimizer can be checked.
func Conformance(t *testing.T, name string, opts search.Options) {
	t.Helper()
	f, ok := search.Lookup(name)
	if !ok {
		t.Fatalf("optimizer %q is not registered (registered: %v)", name, search.Names())
	}
	t.Run("Factory", func(t *testing.T) { checkFactory(t, f) })
	if _, err := f.Resolve(opts); err != nil {
		t.Fatal(err)
	}
	c := conformance{name, opts}
	t.Run("InsideSpace", func(t *testing.T) { c.checkInside(t) })
	t.Run("Reproducible", func(t *testing.T) { c.checkReproducible(t) })
	t.Run("Seed", func(t *testing.T) { c.checkSeed(t) })
	t.Run("Study", func(t *testing.T) { c.checkStudy(t) })
}

func checkFactory(t *testing.T, f search.Factory) {
	if f.Doc == "" {
		t.Errorf("%s: no Doc", f.Name)
	}
	for _, o := range f.Options {
		if err := o.Validate(); err != nil {
			t.Errorf("%s: option %s: %v", f.Name, o.Name, err)
		}
		if !o.Contains(o.Default) {
			t.Errorf("%s: option %s: default %v out of range", f.Name, o.Name, o.Default)
		}
		if o.Doc == "" {
			t.Errorf("%s: option %s: no Doc", f.Name, o.Name)
		}
		var bad []float64
		switch o.Kind {
		case space.Categorical:
			bad = []float64{-1, float64(len(o.Choices)), 0.5}
		case space.Int:
			bad = []float64{o.Low - 1, o.Low + 0.5}
		case space.Float:
			bad = []float64{o.Low - 1 - o.Low*0.5}
		}
		for _, v := range bad {
			if _, err := f.Resolve(search.Options{o.Name: v}); err == nil {
				t.Errorf("%s: option %s=%v accepted", f.Name, o.Name, v)
			}
		}
	}
	if _, err := f.Resolve(search.Options{"no_such_option": 1}); err == nil {
		t.Errorf("%s: unknown option accepted", f.Name)
	}
	opts, err := f.Resolve(nil)
	if err != nil {
		t.Fatalf("%s: defaults: %v", f.Name, err)
	}
	sp, _, _, _ := Separable(3, 3)
	if _, err := f.New(sp, 1, opts); err != nil {
		t.Errorf("%s: New with defaults: %v", f.Name, err)
	}
	if _, err := f.New(nil, 1, opts); err == nil {
		t.Errorf("%s: New with a nil space: no error", f.Name)
	}
}

type problem struct {
	name string
	sp   *space.Space
	f    Objective
	dirs []search.Direction
}

func problems() []problem {
	sep, sepf, _, _ := Separable(5, 4)
	mixed, mixedf := Mixed()
	tiny := &space.Space{Name: "tiny", Params: []space.Param{space.NewCategorical("a", "x", "y", "z")}}
	flaky := func(p space.Point) (float64, bool) {
		v, _ := sepf(p)
		return v, int(p[0]+p[1])%3 != 0
	}
	return []problem{
		{"separable", sep, sepf, nil},
		{"minimize", sep, sepf, []search.Direction{search.Minimize}},
		{"failures", sep, flaky, nil},
		{"mixed", mixed, mixedf, nil},
		{"tiny", tiny, func(p space.Point) (float64, bool) { return p[0], true }, nil},
	}
}

// conformance is an optimizer under test: its name and options.
type conformance struct {
	name string
	opts search.Options
}

func (c conformance) new(t *testing.T, sp *space.Space, seed int64) search.Optimizer {
	t.Helper()
	o, err := search.NewOptimizer(c.name, sp, seed, c.opts)
	if err != nil {
		t.Fatalf("NewOptimizer(%q, %v): %v", c.name, c.opts, err)
	}
	return o
}

func (c conformance) checkInside(t *testing.T) {
	for _, pr := range problems() {
		for _, workers := range []int{1, 4} {
			_, asks, err := RunParallel(c.new(t, pr.sp, 3), pr.sp, pr.dirs, pr.f, 60, workers)
			if err != nil {
				t.Fatalf("%s, %d workers: %v", pr.name, workers, err)
			}
			for i, a := range asks {
				if !pr.sp.Contains(a.Point) {
					t.Fatalf("%s, %d workers: ask %d = %v is outside the space", pr.name, workers, i, a.Point)
				}
			}
		}
	}
}

func (c conformance) checkReproducible(t *testing.T) {
	for _, pr := range problems() {
		for _, workers := range []int{1, 4} {
			const seed = 11
			used := c.new(t, pr.sp, seed)
			_, asks, err := RunParallel(used, pr.sp, pr.dirs, pr.f, 40, workers)
			if err != nil {
				t.Fatalf("%s, %d workers: %v", pr.name, workers, err)
			}
			for i, a := range asks {
				fresh := c.new(t, pr.sp, seed)
				same(t, pr.name, workers, i, "a fresh optimizer", fresh, a)
				told := c.new(t, pr.sp, seed)
				for _, d := range a.History.Done {
					if err := told.Tell(d); err != nil {
						t.Fatal(err)
					}
				}
				same(t, pr.name, workers, i, "a fresh optimizer told the history", told, a)
			}
			for i := len(asks) - 1; i >= 0; i -= 3 {
				same(t, pr.name, workers, i, "the used optimizer", used, asks[i])
			}
		}
	}
}

func same(t *testing.T, prob string, workers, i int, who string, o search.Optimizer, a Ask) {
	t.Helper()
	h := a.History
	p, err := o.Ask(&h)
	if err != nil {
		t.Fatalf("%s, %d workers, ask %d: %s: %v", prob, workers, i, who, err)
	}
	if !p.Equal(a.Point) {
		t.Fatalf("%s, %d workers, ask %d: %s asked %v, the original %v", prob, workers, i, who, p, a.Point)
	}
}

func (c conformance) checkSeed(t *testing.T) {
	sp, f, _, _ := Separable(6, 5)
	run := func(seed int64) []Ask {
		_, asks, err := RunParallel(c.new(t, sp, seed), sp, nil, f, 30, 1)
		if err != nil {
			t.Fatal(err)
		}
		return asks
	}
	a, b := run(1), run(2)
	for i := range a {
		if !a[i].Point.Equal(b[i].Point) {
			return
		}
	}
	t.Errorf("seeds 1 and 2 asked the same 30 points")
}

// checkStudy runs the optimizer through a search.Study by Ask and Tell,
// finishing trials in the order RunParallel does, and compares the points
// with those of RunParallel.
func (c conformance) checkStudy(t *testing.T) {
	const budget, seed = 30, 5
	for _, pr := range problems() {
		for _, workers := range []int{1, 4} {
			want, _, err := RunParallel(c.new(t, pr.sp, seed), pr.sp, pr.dirs, pr.f, budget, workers)
			if err != nil {
				t.Fatalf("%s, %d workers: %v", pr.name, workers, err)
			}
			st, err := search.NewStudy(search.StudyConfig{Name: "conformance", Space: pr.sp,
				Optimizer: c.new(t, pr.sp, seed), Directions: pr.dirs, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			order := rand.New(rand.NewPCG(1, 2)) // as RunParallel
			var running []search.Trial
			for next := 0; next < budget || len(running) > 0; {
				if next < budget && len(running) < workers {
					tr, err := st.Ask()
					if err != nil {
						t.Fatalf("%s, %d workers, ask %d: %v", pr.name, workers, next, err)
					}
					running = append(running, tr)
					next++
					continue
				}
				i := order.IntN(len(running))
				tr := running[i]
				running = append(running[:i:i], running[i+1:]...)
				var err error
				if v, ok := pr.f(tr.Params); ok {
					_, err = st.Tell(tr.ID, []float64{v}, nil)
				} else {
					_, err = st.Tell(tr.ID, nil, errors.New("objective failed"))
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			got := st.Trials()
			for i := range want {
				if !got[i].Params.Equal(want[i].Params) {
					t.Fatalf("%s, %d workers: through a Study trial %d is %v, with fresh histories %v",
						pr.name, workers, i, got[i].Params, want[i].Params)
				}
			}
		}
	}
}
