package forest

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Config holds the settings of a forest. Zero values take the defaults
// (SMAC's: 10 trees, 5/6 of the features per split, at least 3 points to
// split a node, depth up to 20, bootstrap samples).
type Config struct {
	Trees           int     // number of trees
	MaxFeatures     float64 // fraction of the features tried at each split, in (0, 1]
	MinSamplesSplit int     // a node with fewer points is a leaf
	MinSamplesLeaf  int     // each side of a split keeps at least this many points
	MaxDepth        int     // nodes at this depth are leaves
	NoBootstrap     bool    // grow every tree on all the data instead of a bootstrap sample
}

func (c Config) withDefaults() Config {
	if c.Trees == 0 {
		c.Trees = 10
	}
	if c.MaxFeatures == 0 {
		c.MaxFeatures = 5.0 / 6
	}
	if c.MinSamplesSplit == 0 {
		c.MinSamplesSplit = 3
	}
	if c.MinSamplesLeaf == 0 {
		c.MinSamplesLeaf = 1
	}
	if c.MaxDepth == 0 {
		c.MaxDepth = 20
	}
	return c
}

// Validate checks the settings (after defaults).
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Trees < 1:
		return fmt.Errorf("forest: %d trees", c.Trees)
	case !(c.MaxFeatures > 0 && c.MaxFeatures <= 1):
		return fmt.Errorf("forest: max features %v is not in (0, 1]", c.MaxFeatures)
	case c.MinSamplesSplit < 2:
		return fmt.Errorf("forest: min samples split %d < 2", c.MinSamplesSplit)
	case c.MinSamplesLeaf < 1:
		return fmt.Errorf("forest: min samples leaf %d < 1", c.MinSamplesLeaf)
	case c.MaxDepth < 1:
		return fmt.Errorf("forest: max depth %d < 1", c.MaxDepth)
	}
	return nil
}

// Forest is a fitted random forest.
type Forest struct {
	trees []tree
	width int
}

// tree is a regression tree in flat arrays; node 0 is the root. A leaf has
// feature -1 and predicts value.
type tree struct {
	feature     []int
	threshold   []float64 // go left when x[feature] <= threshold
	left, right []int
	value       []float64
}

// Fit grows a forest on the points x (rows of equal length) with targets y.
func Fit(x [][]float64, y []float64, cfg Config, rng *rand.Rand) (*Forest, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if len(x) == 0 || len(x) != len(y) {
		return nil, fmt.Errorf("forest: %d points and %d targets (want the same, at least 1)", len(x), len(y))
	}
	if rng == nil {
		return nil, errors.New("forest: nil random source")
	}
	w := len(x[0])
	for i, r := range x {
		if len(r) != w {
			return nil, fmt.Errorf("forest: point %d has %d features, want %d", i, len(r), w)
		}
		if math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			return nil, fmt.Errorf("forest: target %d is %v", i, y[i])
		}
	}
	f := &Forest{trees: make([]tree, cfg.Trees), width: w}
	g := grower{x: x, y: y, cfg: cfg, rng: rng}
	n := len(x)
	// Each feature's order of the data, sorted once for all trees.
	order := make([][]int, w)
	for c := range w {
		o := make([]int, n)
		for i := range o {
			o[i] = i
		}
		sort.SliceStable(o, func(a, b int) bool { return x[o[a]][c] < x[o[b]][c] })
		order[c] = o
	}
	for t := range f.trees {
		idx := make([]int, n)
		for i := range idx {
			if cfg.NoBootstrap {
				idx[i] = i
			} else {
				idx[i] = rng.IntN(n)
			}
		}
		g.t = &f.trees[t]
		g.growTree(idx, order)
	}
	return f, nil
}

// Trees is the number of trees.
func (f *Forest) Trees() int { return len(f.trees) }

// PredictTrees writes every tree's prediction at x into dst (allocated when
// too short) and returns it.
func (f *Forest) PredictTrees(x []float64, dst []float64) []float64 {
	if cap(dst) < len(f.trees) {
		dst = make([]float64, len(f.trees))
	}
	dst = dst[:len(f.trees)]
	for i := range f.trees {
		dst[i] = f.trees[i].predict(x)
	}
	return dst
}

// Predict returns the mean of the trees' predictions at x and their
// variance (the population variance across trees).
func (f *Forest) Predict(x []float64) (mean, variance float64) {
	for i := range f.trees {
		v := f.trees[i].predict(x)
		mean += v
		variance += v * v
	}
	n := float64(len(f.trees))
	mean /= n
	variance = math.Max(variance/n-mean*mean, 0)
	return mean, variance
}

func (t *tree) predict(x []float64) float64 {
	k := 0
	for t.feature[k] >= 0 {
		if x[t.feature[k]] <= t.threshold[k] {
			k = t.left[k]
		} else {
			k = t.right[k]
		}
	}
	return t.value[k]
}

// grower grows one tree. Each node gets, per feature, its points sorted by
// that feature (sorted once at the root, then partitioned stably down the
// tree), so that finding a split costs O(points) per feature tried.
type grower struct {
	x    [][]float64
	y    []float64
	cfg  Config
	rng  *rand.Rand
	t    *tree
	perm []int
	left []bool // by position in the bootstrap sample: goes left at the current split
	tmp  []int
}

// growTree grows the tree on the sample idx (indices into x, repeats
// allowed), given each feature's order of the data (order[f]).
func (g *grower) growTree(idx []int, order [][]int) {
	w := len(g.x[0])
	n := len(idx)
	// The positions of each data point in the sample (CSR), so that each
	// feature's order of the sample follows from the data's in O(n).
	start := make([]int, len(g.x)+1)
	for _, j := range idx {
		start[j+1]++
	}
	for j := range g.x {
		start[j+1] += start[j]
	}
	at := make([]int, n)
	fill := append([]int(nil), start[:len(g.x)]...)
	for p, j := range idx {
		at[fill[j]] = p
		fill[j]++
	}
	// sorted[f] lists positions 0..n-1 of idx sorted by feature f.
	sorted := make([][]int, w)
	buf := make([]int, w*n)
	for f := range w {
		s := buf[f*n : f*n : (f+1)*n]
		for _, j := range order[f] {
			s = append(s, at[start[j]:start[j+1]]...)
		}
		sorted[f] = s
	}
	g.left = make([]bool, n)
	g.tmp = make([]int, n)
	feats := make([]int, w)
	for f := range feats {
		feats[f] = f
	}
	g.grow(idx, sorted, feats, 0)
}

// grow adds the node for the sample positions listed by sorted (for each
// feature of feats, in that feature's order; other features are constant
// in the node) at depth, and returns its index.
func (g *grower) grow(idx []int, sorted [][]int, feats []int, depth int) int {
	t := g.t
	k := len(t.feature)
	pos := sorted[feats[0]]
	mean := 0.0
	for _, p := range pos {
		mean += g.y[idx[p]]
	}
	mean /= float64(len(pos))
	t.feature = append(t.feature, -1)
	t.threshold = append(t.threshold, 0)
	t.left = append(t.left, -1)
	t.right = append(t.right, -1)
	t.value = append(t.value, mean)
	if len(pos) < g.cfg.MinSamplesSplit || depth >= g.cfg.MaxDepth {
		return k
	}
	// Only features that vary in the node can split it or its children; each
	// split tries a MaxFeatures fraction of them (as scikit-learn, which never
	// counts a feature known to be constant).
	var active []int
	for _, f := range feats {
		s := sorted[f]
		if g.x[idx[s[0]]][f] != g.x[idx[s[len(s)-1]]][f] {
			active = append(active, f)
		}
	}
	if len(active) == 0 {
		return k
	}
	feat, thr, ok := g.bestSplit(idx, sorted, active)
	if !ok {
		return k
	}
	nl := 0
	for _, p := range pos {
		g.left[p] = g.x[idx[p]][feat] <= thr
		if g.left[p] {
			nl++
		}
	}
	if nl == 0 || nl == len(pos) {
		return k
	}
	// Partition every active feature's list stably: left positions first.
	ls, rs := make([][]int, len(sorted)), make([][]int, len(sorted))
	for _, f := range active {
		s := sorted[f]
		tmp := g.tmp[:0]
		a := 0
		for _, p := range s {
			if g.left[p] {
				s[a] = p
				a++
			} else {
				tmp = append(tmp, p)
			}
		}
		copy(s[a:], tmp)
		ls[f], rs[f] = s[:a], s[a:]
	}
	l := g.grow(idx, ls, active, depth+1)
	r := g.grow(idx, rs, active, depth+1)
	t.feature[k], t.threshold[k], t.left[k], t.right[k] = feat, thr, l, r
	return k
}

// bestSplit finds, among a random MaxFeatures fraction of the features
// that vary in the node (active), the threshold that most reduces the
// squared error.
func (g *grower) bestSplit(idx []int, sorted [][]int, active []int) (feat int, thr float64, ok bool) {
	w := len(active)
	if cap(g.perm) < w {
		g.perm = make([]int, w)
	}
	perm := g.perm[:w]
	copy(perm, active)
	n := len(sorted[active[0]])
	total := 0.0
	for _, p := range sorted[active[0]] {
		total += g.y[idx[p]]
	}
	mtry := max(1, int(math.Ceil(g.cfg.MaxFeatures*float64(w))))
	best := 0.0 // gain in sum of squares must be positive
	for f := 0; f < mtry; f++ {
		j := f + g.rng.IntN(w-f)
		perm[f], perm[j] = perm[j], perm[f]
		c := perm[f]
		order := sorted[c]
		left := 0.0
		for s := 1; s < n; s++ {
			left += g.y[idx[order[s-1]]]
			lo, hi := g.x[idx[order[s-1]]][c], g.x[idx[order[s]]][c]
			if lo == hi || s < g.cfg.MinSamplesLeaf || n-s < g.cfg.MinSamplesLeaf {
				continue
			}
			// Reduction of the squared error: sum^2/n per side minus the parent's.
			right := total - left
			gain := left*left/float64(s) + right*right/float64(n-s) - total*total/float64(n)
			if gain > best+1e-12*math.Abs(best) {
				best, feat, thr, ok = gain, c, lo+(hi-lo)/2, true
			}
		}
	}
	return feat, thr, ok
}
