package search

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Pareto helpers for several objectives, shared by multi-objective
// optimizers, pruners, benchmarks and plots. A vector holds one value per
// objective, in the order of dirs; a vector of another length, or with a
// NaN, is worse than every valid vector and equal to every other invalid one.

// Dominates reports whether a is at least as good as b on every objective
// and better on one (each objective by its direction).
func Dominates(a, b []float64, dirs []Direction) bool {
	va, vb := validVector(a, dirs), validVector(b, dirs)
	if !va || !vb {
		return va && !vb
	}
	better := false
	for i, d := range dirs {
		x, y := a[i], b[i]
		if d == Minimize {
			x, y = -x, -y
		}
		if x < y {
			return false
		}
		if x > y {
			better = true
		}
	}
	return better
}

func validVector(v []float64, dirs []Direction) bool {
	if len(v) != len(dirs) {
		return false
	}
	for _, x := range v {
		if math.IsNaN(x) {
			return false
		}
	}
	return true
}

// NonDominatedSort sorts vectors into Pareto fronts (the fast non-dominated
// sort of Deb et al., "A fast and elitist multiobjective genetic algorithm:
// NSGA-II", IEEE TEVC 2002): rank[i] is 0 for the vectors no other vector
// dominates, 1 for those dominated only by rank-0 vectors, and so on; fronts
// lists the indices of each rank in increasing index order.
func NonDominatedSort(vectors [][]float64, dirs []Direction) (rank []int, fronts [][]int) {
	n := len(vectors)
	rank = make([]int, n)
	dominated := make([][]int, n) // dominated[i]: the vectors i dominates
	count := make([]int, n)       // count[i]: how many vectors dominate i
	for i := range n {
		for j := i + 1; j < n; j++ {
			switch {
			case Dominates(vectors[i], vectors[j], dirs):
				dominated[i] = append(dominated[i], j)
				count[j]++
			case Dominates(vectors[j], vectors[i], dirs):
				dominated[j] = append(dominated[j], i)
				count[i]++
			}
		}
	}
	var front []int
	for i := range n {
		if count[i] == 0 {
			front = append(front, i)
		}
	}
	for r := 0; len(front) > 0; r++ {
		fronts = append(fronts, front)
		var next []int
		for _, i := range front {
			rank[i] = r
			for _, j := range dominated[i] {
				if count[j]--; count[j] == 0 {
					next = append(next, j)
				}
			}
		}
		sort.Ints(next)
		front = next
	}
	return rank, fronts
}

// CrowdingDistance returns the crowding distance of each vector of one front
// (the indices front into vectors): the sum over objectives of the gap
// between its two neighbours along that objective, divided by the
// objective's range on the front. The extremes of each objective get +Inf,
// so that a front's boundary is always kept. Larger is less crowded.
func CrowdingDistance(vectors [][]float64, front []int) []float64 {
	d := make([]float64, len(front))
	if len(front) == 0 {
		return d
	}
	m := len(vectors[front[0]])
	order := make([]int, len(front)) // positions into front
	for k := range m {
		for i := range order {
			order[i] = i
		}
		val := func(i int) float64 {
			if v := vectors[front[i]]; k < len(v) {
				return v[k]
			}
			return math.NaN()
		}
		sort.SliceStable(order, func(a, b int) bool { return val(order[a]) < val(order[b]) })
		lo, hi := val(order[0]), val(order[len(order)-1])
		d[order[0]], d[order[len(order)-1]] = math.Inf(1), math.Inf(1)
		if !(hi > lo) {
			continue
		}
		for i := 1; i < len(order)-1; i++ {
			d[order[i]] += (val(order[i+1]) - val(order[i-1])) / (hi - lo)
		}
	}
	return d
}

// ParetoFront returns the indices of the vectors no other vector dominates,
// in increasing order (invalid vectors are never on the front unless all
// are invalid).
func ParetoFront(vectors [][]float64, dirs []Direction) []int {
	_, fronts := NonDominatedSort(vectors, dirs)
	if len(fronts) == 0 {
		return nil
	}
	return fronts[0]
}

// Hypervolume2D is the area dominated by points (each {x, y}) and bounded by
// the reference point ref, each coordinate maximized or minimized as dirs
// says: the area of the union of the boxes between ref and each point.
// Points that do not beat ref on both coordinates, and infinite points, add
// nothing. It fails on a point or reference of another dimension, or a NaN.
func Hypervolume2D(points [][]float64, dirs []Direction, ref []float64) (float64, error) {
	if len(dirs) != 2 || len(ref) != 2 {
		return 0, fmt.Errorf("hypervolume: want 2 directions and a 2-D reference point, got %d and %d", len(dirs), len(ref))
	}
	if math.IsNaN(ref[0]) || math.IsNaN(ref[1]) {
		return 0, errors.New("hypervolume: the reference point has a NaN")
	}
	sign := [2]float64{1, 1}
	for k, d := range dirs {
		if d == Minimize {
			sign[k] = -1
		}
	}
	rx, ry := sign[0]*ref[0], sign[1]*ref[1]
	var ps [][2]float64 // maximized, beating ref
	for i, p := range points {
		if len(p) != 2 || math.IsNaN(p[0]) || math.IsNaN(p[1]) {
			return 0, fmt.Errorf("hypervolume: point %d is %v, not two numbers", i, p)
		}
		if x, y := sign[0]*p[0], sign[1]*p[1]; x > rx && y > ry && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
			ps = append(ps, [2]float64{x, y})
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i][0] > ps[j][0] || ps[i][0] == ps[j][0] && ps[i][1] > ps[j][1] })
	area, top := 0.0, ry
	for _, p := range ps {
		if p[1] > top {
			area += (p[0] - rx) * (p[1] - top)
			top = p[1]
		}
	}
	return area, nil
}
