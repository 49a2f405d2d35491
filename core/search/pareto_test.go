package search_test

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/morphml/morphml/core/search"
)

func TestDominates(t *testing.T) {
	maxMin := []search.Direction{search.Maximize, search.Minimize}
	nan := math.NaN()
	for _, c := range []struct {
		name string
		a, b []float64
		want bool
	}{
		{"better on both", []float64{2, 1}, []float64{1, 2}, true},
		{"better on one, equal on other", []float64{2, 1}, []float64{1, 1}, true},
		{"equal", []float64{1, 1}, []float64{1, 1}, false},
		{"trade-off", []float64{2, 2}, []float64{1, 1}, false},
		{"worse", []float64{1, 2}, []float64{2, 1}, false},
		{"valid beats NaN", []float64{0, 9}, []float64{nan, 1}, true},
		{"NaN loses", []float64{nan, 1}, []float64{0, 9}, false},
		{"short vector loses", []float64{0, 9}, []float64{5}, true},
		{"both invalid", []float64{nan, 1}, []float64{5}, false},
	} {
		if got := search.Dominates(c.a, c.b, maxMin); got != c.want {
			t.Errorf("%s: Dominates(%v, %v) = %v, want %v", c.name, c.a, c.b, got, c.want)
		}
	}
}

func TestNonDominatedSort(t *testing.T) {
	minMin := []search.Direction{search.Minimize, search.Minimize}
	v := [][]float64{
		{1, 5}, // 0: front 0
		{2, 3}, // 1: front 0
		{4, 1}, // 2: front 0
		{3, 4}, // 3: dominated by 1 -> front 1
		{5, 5}, // 4: dominated by 3 -> front 2
		{2, 3}, // 5: equal to 1 -> front 0
		{math.NaN(), 0},
	}
	rank, fronts := search.NonDominatedSort(v, minMin)
	if want := []int{0, 0, 0, 1, 2, 0, 3}; !reflect.DeepEqual(rank, want) {
		t.Errorf("ranks %v, want %v", rank, want)
	}
	if want := [][]int{{0, 1, 2, 5}, {3}, {4}, {6}}; !reflect.DeepEqual(fronts, want) {
		t.Errorf("fronts %v, want %v", fronts, want)
	}
	if got := search.ParetoFront(v, minMin); !reflect.DeepEqual(got, []int{0, 1, 2, 5}) {
		t.Errorf("front %v", got)
	}
	if r, f := search.NonDominatedSort(nil, minMin); len(r) != 0 || len(f) != 0 {
		t.Errorf("empty input: %v %v", r, f)
	}
}

func TestCrowdingDistance(t *testing.T) {
	v := [][]float64{{0, 4}, {1, 3}, {3, 1}, {4, 0}, {2, 2}}
	d := search.CrowdingDistance(v, []int{0, 1, 2, 3, 4})
	// Sorted along x: 0,1,4,2,3 (range 4); along y the reverse (range 4).
	want := []float64{math.Inf(1), (2-0)/4.0 + (4-2)/4.0, (4-2)/4.0 + (2-0)/4.0, math.Inf(1), (3-1)/4.0 + (3-1)/4.0}
	for i := range want {
		if d[i] != want[i] {
			t.Errorf("crowding[%d] = %v, want %v", i, d[i], want[i])
		}
	}
	if d := search.CrowdingDistance(v, []int{2}); !math.IsInf(d[0], 1) {
		t.Errorf("a lone point: %v", d)
	}
}

func TestHypervolume2D(t *testing.T) {
	max2 := []search.Direction{search.Maximize, search.Maximize}
	min2 := []search.Direction{search.Minimize, search.Minimize}
	maxMin := []search.Direction{search.Maximize, search.Minimize}
	for _, c := range []struct {
		name   string
		points [][]float64
		dirs   []search.Direction
		ref    []float64
		want   float64
	}{
		// Three steps: 3·1 + 2·1 + 1·1 = 6.
		{"staircase, maximized", [][]float64{{1, 3}, {2, 2}, {3, 1}}, max2, []float64{0, 0}, 6},
		{"the same, minimized", [][]float64{{3, 1}, {2, 2}, {1, 3}}, min2, []float64{4, 4}, 6},
		{"order does not matter", [][]float64{{2, 2}, {3, 1}, {1, 3}}, max2, []float64{0, 0}, 6},
		{"dominated and repeated points add nothing", [][]float64{{1, 3}, {2, 2}, {3, 1}, {1, 1}, {2, 2}}, max2, []float64{0, 0}, 6},
		{"one point", [][]float64{{0.5, 0.25}}, max2, []float64{0, 0}, 0.125},
		{"accuracy up, parameters down", [][]float64{{90, 1e6}, {80, 2e5}}, maxMin, []float64{50, 2e6}, 40*1e6 + 30*8e5},
		{"points behind the reference add nothing", [][]float64{{1, 3}, {-1, 9}, {5, -2}}, max2, []float64{0, 0}, 3},
		{"on the reference line: nothing", [][]float64{{0, 5}}, max2, []float64{0, 0}, 0},
		{"no points", nil, max2, []float64{0, 0}, 0},
	} {
		got, err := search.Hypervolume2D(c.points, c.dirs, c.ref)
		if err != nil || math.Abs(got-c.want) > 1e-9*math.Max(1, c.want) {
			t.Errorf("%s: search.Hypervolume2D = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	for _, c := range []struct {
		name   string
		points [][]float64
		dirs   []search.Direction
		ref    []float64
	}{
		{"3-D point", [][]float64{{1, 2, 3}}, max2, []float64{0, 0}},
		{"NaN point", [][]float64{{1, math.NaN()}}, max2, []float64{0, 0}},
		{"one direction", [][]float64{{1, 2}}, max2[:1], []float64{0, 0}},
		{"NaN reference", [][]float64{{1, 2}}, max2, []float64{math.NaN(), 0}},
	} {
		if _, err := search.Hypervolume2D(c.points, c.dirs, c.ref); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func ExampleHypervolume2D() {
	// Three points that minimize both objectives, against the reference (1, 1).
	pts := [][]float64{{0.2, 0.8}, {0.5, 0.5}, {0.8, 0.2}}
	hv, _ := search.Hypervolume2D(pts, []search.Direction{search.Minimize, search.Minimize}, []float64{1, 1})
	fmt.Printf("%.2f\n", hv)
	// Output: 0.37
}
