package search_test

import (
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
