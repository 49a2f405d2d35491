package search

import (
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
