package pruners

import (
	"math"
	"reflect"
	"testing"

	"github.com/morphml/morphml/core/search"
)

func curve(steps ...int) []search.Step {
	out := make([]search.Step, len(steps))
	for i, s := range steps {
		out[i] = search.Step{Step: s, Value: float64(10 * s)}
	}
	return out
}

func TestValueAt(t *testing.T) {
	for _, c := range []struct {
		name  string
		curve []search.Step
		rung  float64
		want  float64
		ok    bool
	}{
		{"exact step", curve(1, 2, 3), 2, 20, true},
		{"first step beyond", curve(1, 4, 8), 3, 40, true},
		{"fractional rung", curve(1, 2), 1.5, 20, true},
		{"not reached", curve(1, 2), 3, 0, false},
		{"empty", nil, 1, 0, false},
	} {
		got, ok := valueAt(c.curve, c.rung)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: valueAt = %v, %v; want %v, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestCrossed(t *testing.T) {
	rs := []float64{1, 3, 9}
	for _, c := range []struct {
		name  string
		curve []search.Step
		want  []int
	}{
		{"first report on the first rung", curve(1), []int{0}},
		{"between rungs", curve(1, 2), nil},
		{"on the second rung", curve(1, 2, 3), []int{1}},
		{"a jump over two rungs", curve(1, 9), []int{1, 2}},
		{"beyond the last rung", curve(1, 3, 9, 10), nil},
		{"no report", nil, nil},
	} {
		if got := crossed(c.curve, rs); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: crossed = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRungs(t *testing.T) {
	for _, c := range []struct {
		name          string
		min, eta, max float64
		skip          int
		want          []float64
	}{
		{"to max", 1, 3, 27, 0, []float64{1, 3, 9}},
		{"max between rungs", 1, 3, 10, 0, []float64{1, 3, 9}},
		{"skip", 1, 3, 27, 1, []float64{3, 9}},
		{"skip everything", 1, 3, 27, 3, nil},
		{"eta 2", 2, 2, 20, 0, []float64{2, 4, 8, 16}},
	} {
		if got := rungs(c.min, c.eta, c.max, c.skip); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: rungs = %v, want %v", c.name, got, c.want)
		}
	}
	if got := rungs(1, 2, 0, 0); len(got) < 40 {
		t.Errorf("unbounded rungs: only %d", len(got))
	}
}

func TestComparerScalar(t *testing.T) {
	peers := []entry{{value: 1}, {value: 5}, {value: 3}, {value: math.NaN()}}
	for _, c := range []struct {
		name string
		dir  search.Direction
		v    float64
		want int
	}{
		{"maximize, middle", search.Maximize, 3, 1},
		{"maximize, best", search.Maximize, 9, 0},
		{"maximize, worst", search.Maximize, 0, 3},
		{"minimize, middle", search.Minimize, 3, 1},
		{"minimize, worst", search.Minimize, 9, 3},
		{"NaN is worst", search.Maximize, math.NaN(), 3},
	} {
		cmp := newComparer(&search.History{Directions: []search.Direction{c.dir}}, nil)
		if got := cmp.better(entry{value: c.v}, peers); got != c.want {
			t.Errorf("%s: better = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestComparerPareto(t *testing.T) {
	h := &search.History{Directions: []search.Direction{search.Maximize, search.Minimize}}
	cmp := newComparer(h, []string{search.AttrArchParams})
	trial := func(id int, params string) search.Trial {
		return search.Trial{ID: id, Attrs: map[string]string{search.AttrArchParams: params}}
	}
	peers := []entry{
		cmp.entry(trial(0, "1000"), 90), // accurate and big
		cmp.entry(trial(1, "500"), 85),
		cmp.entry(trial(2, "900"), 80), // dominated by 1
	}
	for _, c := range []struct {
		name   string
		params string
		v      float64
		want   int
	}{
		// (50, 100) is on the front with 0 and 1; as an extreme of the
		// parameters it is never less crowded than another.
		{"small and inaccurate: on the front", "100", 50, 0},
		{"dominated by two", "1200", 84, 2},
		{"dominating everything", "10", 99, 0},
	} {
		e := cmp.entry(trial(9, c.params), c.v)
		if e.vec == nil {
			t.Fatalf("%s: no vector", c.name)
		}
		if got := cmp.better(e, peers); got != c.want {
			t.Errorf("%s: better = %d, want %d", c.name, got, c.want)
		}
	}
	// A trial without the attribute falls back to objective 0.
	if got := cmp.better(cmp.entry(search.Trial{ID: 9}, 50), peers); got != 3 {
		t.Errorf("no attribute: better = %d, want 3 (scalar)", got)
	}
}
