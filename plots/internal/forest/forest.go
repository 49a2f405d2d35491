package forest

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Config sets up a forest. Zero fields take the defaults.
type Config struct {
	Trees       int     // number of trees (default 64)
	MinLeaf     int     // fewest samples in a leaf (default 2)
	MaxDepth    int     // deepest split (default 16)
	MaxFeatures float64 // fraction of the features tried at each split (default 0.5, at least one)
	Seed        uint64
}

func (c Config) withDefaults() Config {
	if c.Trees <= 0 {
		c.Trees = 64
	}
	if c.MinLeaf <= 0 {
		c.MinLeaf = 2
	}
	if c.MaxDepth <= 0 {
		c.MaxDepth = 16
	}
	if c.MaxFeatures <= 0 || c.MaxFeatures > 1 {
		c.MaxFeatures = 0.5
	}
	return c
}

// maxCategories is the most categories a categorical feature may have (the
// left group of a split is a bit set).
const maxCategories = 64

// Forest is a random forest regressor. The zero value is not usable: make
// one with New.
type Forest struct {
	cfg   Config
	trees [][]node
}

// node is a split (left, right > 0) or a leaf (left == 0).
type node struct {
	feature     int
	threshold   float64 // numeric: x <= threshold goes left
	set         uint64  // categorical: categories in the set go left
	categorical bool
	left, right int32
	value       float64 // leaf prediction
}

// New returns an unfitted forest.
func New(cfg Config) *Forest { return &Forest{cfg: cfg.withDefaults()} }

// Fit grows the trees on rows x (one slice of features per sample) and
// targets y; categorical[j] marks feature j as categorical, coded 0, 1, 2
// ... (fewer than 64 categories). A second Fit replaces the first.
func (f *Forest) Fit(x [][]float64, y []float64, categorical []bool) error {
	if len(x) == 0 || len(x) != len(y) {
		return fmt.Errorf("forest: %d rows and %d targets", len(x), len(y))
	}
	d := len(x[0])
	if d == 0 || len(categorical) != d {
		return fmt.Errorf("forest: %d features and %d categorical flags", d, len(categorical))
	}
	for i, row := range x {
		if len(row) != d {
			return fmt.Errorf("forest: row %d has %d features, want %d", i, len(row), d)
		}
		if math.IsNaN(y[i]) || math.IsInf(y[i], 0) {
			return fmt.Errorf("forest: target %d is %v", i, y[i])
		}
		for j, v := range row {
			if categorical[j] && (v < 0 || v >= maxCategories || v != math.Trunc(v)) {
				return fmt.Errorf("forest: row %d, categorical feature %d: %v is not a code in [0, %d)", i, j, v, maxCategories)
			}
			if math.IsNaN(v) {
				return fmt.Errorf("forest: row %d, feature %d is NaN", i, j)
			}
		}
	}
	rng := rand.New(rand.NewPCG(f.cfg.Seed, 0x5eed))
	f.trees = make([][]node, f.cfg.Trees)
	g := &grower{x: x, y: y, cat: categorical, cfg: f.cfg, rng: rng,
		tries: max(1, int(math.Round(f.cfg.MaxFeatures*float64(d))))}
	for t := range f.trees {
		idx := make([]int, len(x))
		for i := range idx {
			idx[i] = rng.IntN(len(x))
		}
		g.nodes = nil
		g.grow(idx, 0)
		f.trees[t] = g.nodes
	}
	return nil
}

// Predict returns the mean of the trees' predictions (NaN before Fit or
// for a row of the wrong length).
func (f *Forest) Predict(x []float64) float64 {
	if len(f.trees) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, t := range f.trees {
		sum += predict(t, x)
	}
	return sum / float64(len(f.trees))
}

func predict(t []node, x []float64) float64 {
	i := int32(0)
	for t[i].left != 0 {
		n := &t[i]
		if n.feature >= len(x) {
			return math.NaN()
		}
		v := x[n.feature]
		var left bool
		if n.categorical {
			left = v >= 0 && v < maxCategories && n.set&(1<<uint(v)) != 0
		} else {
			left = v <= n.threshold
		}
		if left {
			i = n.left
		} else {
			i = n.right
		}
	}
	return t[i].value
}

// grower grows one tree.
type grower struct {
	x     [][]float64
	y     []float64
	cat   []bool
	cfg   Config
	rng   *rand.Rand
	tries int
	nodes []node
}

// split is a candidate split of a node's samples.
type split struct {
	gain      float64
	feature   int
	threshold float64
	set       uint64
}

var errNoSplit = errors.New("no split")

// grow appends the subtree of the samples idx and returns its index.
func (g *grower) grow(idx []int, depth int) int32 {
	me := int32(len(g.nodes))
	sum := 0.0
	for _, i := range idx {
		sum += g.y[i]
	}
	g.nodes = append(g.nodes, node{value: sum / float64(len(idx))})
	if depth >= g.cfg.MaxDepth || len(idx) < 2*g.cfg.MinLeaf {
		return me
	}
	s, err := g.best(idx)
	if err != nil {
		return me
	}
	var l, r []int
	for _, i := range idx {
		if g.goesLeft(s, g.x[i][s.feature]) {
			l = append(l, i)
		} else {
			r = append(r, i)
		}
	}
	left := g.grow(l, depth+1)
	right := g.grow(r, depth+1)
	g.nodes[me] = node{feature: s.feature, threshold: s.threshold, set: s.set,
		categorical: g.cat[s.feature], left: left, right: right}
	return me
}

func (g *grower) goesLeft(s split, v float64) bool {
	if g.cat[s.feature] {
		return s.set&(1<<uint(v)) != 0
	}
	return v <= s.threshold
}

// best finds the split with the largest decrease of the squared error among
// a random subset of the features.
func (g *grower) best(idx []int) (split, error) {
	d := len(g.cat)
	feats := g.rng.Perm(d)
	best := split{gain: 1e-12}
	found := false
	for k, j := range feats {
		if k >= g.tries && found {
			break
		}
		var s split
		var ok bool
		if g.cat[j] {
			s, ok = g.bestCategorical(idx, j)
		} else {
			s, ok = g.bestNumeric(idx, j)
		}
		if ok && s.gain > best.gain {
			best, found = s, true
		}
	}
	if !found {
		return best, errNoSplit
	}
	return best, nil
}

// score is sumL²/nL + sumR²/nR: the part of the decrease of the squared
// error that depends on the split.
func score(sl, nl, sr, nr float64) float64 { return sl*sl/nl + sr*sr/nr }

func (g *grower) bestNumeric(idx []int, j int) (split, bool) {
	order := slices.Clone(idx)
	slices.SortFunc(order, func(a, b int) int {
		va, vb := g.x[a][j], g.x[b][j]
		switch {
		case va < vb:
			return -1
		case va > vb:
			return 1
		}
		return 0
	})
	total := 0.0
	for _, i := range order {
		total += g.y[i]
	}
	n := float64(len(order))
	base := total * total / n
	best, found := split{feature: j}, false
	sl := 0.0
	m := g.cfg.MinLeaf
	for k := 0; k < len(order)-1; k++ {
		sl += g.y[order[k]]
		a, b := g.x[order[k]][j], g.x[order[k+1]][j]
		if a == b || k+1 < m || len(order)-k-1 < m {
			continue
		}
		nl := float64(k + 1)
		if gain := score(sl, nl, total-sl, n-nl) - base; gain > best.gain {
			best.gain, best.threshold, found = gain, (a+b)/2, true
		}
	}
	return best, found
}

func (g *grower) bestCategorical(idx []int, j int) (split, bool) {
	var sum [maxCategories]float64
	var cnt [maxCategories]int
	for _, i := range idx {
		c := int(g.x[i][j])
		sum[c] += g.y[i]
		cnt[c]++
	}
	var cats []int
	total, n := 0.0, 0
	for c := range maxCategories {
		if cnt[c] > 0 {
			cats = append(cats, c)
			total += sum[c]
			n += cnt[c]
		}
	}
	if len(cats) < 2 {
		return split{}, false
	}
	slices.SortStableFunc(cats, func(a, b int) int {
		ma, mb := sum[a]/float64(cnt[a]), sum[b]/float64(cnt[b])
		switch {
		case ma < mb:
			return -1
		case ma > mb:
			return 1
		}
		return 0
	})
	base := total * total / float64(n)
	best, found := split{feature: j}, false
	var set uint64
	sl, nl := 0.0, 0
	for k := 0; k < len(cats)-1; k++ {
		c := cats[k]
		set |= 1 << uint(c)
		sl += sum[c]
		nl += cnt[c]
		if nl < g.cfg.MinLeaf || n-nl < g.cfg.MinLeaf {
			continue
		}
		if gain := score(sl, float64(nl), total-sl, float64(n-nl)) - base; gain > best.gain {
			best.gain, best.set, found = gain, set, true
		}
	}
	return best, found
}
