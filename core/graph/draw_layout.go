package graph

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/plot/vg"
)

// assignLayers gives each box its longest-path layer, pulls boxes down next
// to their consumers, and splits edges that skip layers with waypoints.
func (d *Diagram) assignLayers(inputs [][]int) {
	n := len(d.boxes)
	layer := make([]int, n)
	consumers := make([][]int, n)
	for i := range n {
		for _, j := range inputs[i] {
			layer[i] = max(layer[i], layer[j]+1)
			consumers[j] = append(consumers[j], i)
		}
	}
	for i := n - 1; i >= 0; i-- {
		if len(consumers[i]) > 0 && len(inputs[i]) > 0 {
			low := math.MaxInt
			for _, c := range consumers[i] {
				low = min(low, layer[c]-1)
			}
			layer[i] = max(layer[i], low)
		}
	}
	d.verts = make([]vert, n)
	depth := 0
	for i := range n {
		d.verts[i] = vert{layer: layer[i], w: d.boxes[i].w}
		depth = max(depth, layer[i]+1)
	}
	d.layers = make([][]int, depth)
	for i := range n {
		d.layers[layer[i]] = append(d.layers[layer[i]], i)
	}
	for i := range n {
		for _, j := range inputs[i] {
			chain := []int{j}
			prev := j
			for l := layer[j] + 1; l < layer[i]; l++ {
				v := len(d.verts)
				d.verts = append(d.verts, vert{layer: l, w: waypointW})
				d.layers[l] = append(d.layers[l], v)
				d.link(prev, v)
				chain, prev = append(chain, v), v
			}
			d.link(prev, i)
			d.edges = append(d.edges, append(chain, i))
		}
	}
}

func (d *Diagram) link(u, v int) {
	d.verts[u].down = append(d.verts[u].down, v)
	d.verts[v].up = append(d.verts[v].up, u)
}

// orderLayers reduces edge crossings: barycentre sweeps down and up, each
// followed by swaps of neighbours while they help, keeping the best order
// seen.
func (d *Diagram) orderLayers() {
	start := d.cloneLayers()
	best, bestOrder := d.sweeps()
	// Sweeps get stuck where several layers would have to change at once:
	// restart a few times from shuffled orders (a fixed seed, so the same
	// architecture is always drawn alike).
	restarts := 12
	if len(d.verts) > 200 {
		restarts = 2
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for r := 0; r < restarts && best > 0; r++ {
		d.layers = start
		start = d.cloneLayers()
		for _, ly := range d.layers {
			rng.Shuffle(len(ly), func(i, j int) { ly[i], ly[j] = ly[j], ly[i] })
		}
		if c, order := d.sweeps(); c < best {
			best, bestOrder = c, order
		}
	}
	d.layers = bestOrder
}

// sweeps runs the barycentre sweeps from the current order and returns the
// best order seen with its crossings.
func (d *Diagram) sweeps() (int, [][]int) {
	pos := make([]float64, len(d.verts))
	best, bestOrder := d.crossings(), d.cloneLayers()
	for it := 0; it < 24 && best > 0; it++ {
		for _, ly := range d.layers {
			for k, v := range ly {
				pos[v] = float64(k)
			}
		}
		for s := range d.layers {
			l := s
			if it%2 == 1 {
				l = len(d.layers) - 1 - s
			}
			bc := make(map[int]float64, len(d.layers[l]))
			for _, v := range d.layers[l] {
				nb := d.verts[v].up
				if it%2 == 1 {
					nb = d.verts[v].down
				}
				bc[v] = pos[v]
				if len(nb) > 0 {
					sum := 0.0
					for _, u := range nb {
						sum += pos[u]
					}
					bc[v] = sum / float64(len(nb))
				}
			}
			slices.SortStableFunc(d.layers[l], func(a, b int) int { return cmpFloat(bc[a], bc[b]) })
			for k, v := range d.layers[l] {
				pos[v] = float64(k)
			}
		}
		d.transpose()
		if c := d.crossings(); c < best {
			best, bestOrder = c, d.cloneLayers()
		}
	}
	return best, bestOrder
}

// transpose swaps neighbours in a layer while that removes crossings.
func (d *Diagram) transpose() {
	for improved, rounds := true, 0; improved && rounds < 8; rounds++ {
		improved = false
		for l, ly := range d.layers {
			for k := 0; k+1 < len(ly); k++ {
				before := d.crossingsAt(l-1) + d.crossingsAt(l)
				ly[k], ly[k+1] = ly[k+1], ly[k]
				if d.crossingsAt(l-1)+d.crossingsAt(l) < before {
					improved = true
				} else {
					ly[k], ly[k+1] = ly[k+1], ly[k]
				}
			}
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (d *Diagram) cloneLayers() [][]int {
	out := make([][]int, len(d.layers))
	for i, l := range d.layers {
		out[i] = slices.Clone(l)
	}
	return out
}

// crossings counts the pairs of edge segments that cross.
func (d *Diagram) crossings() int {
	total := 0
	for l := range d.layers {
		total += d.crossingsAt(l)
	}
	return total
}

// crossingsAt counts the crossings between layers l and l+1.
func (d *Diagram) crossingsAt(l int) int {
	if l < 0 || l+1 >= len(d.layers) {
		return 0
	}
	index := func(ly []int, v int) int { return slices.Index(ly, v) }
	var segs [][2]int
	for k, u := range d.layers[l] {
		for _, v := range d.verts[u].down {
			segs = append(segs, [2]int{k, index(d.layers[l+1], v)})
		}
	}
	n := 0
	for a := range segs {
		for b := a + 1; b < len(segs); b++ {
			if (segs[a][0]-segs[b][0])*(segs[a][1]-segs[b][1]) < 0 {
				n++
			}
		}
	}
	return n
}

// placeX gives each vertex its x centre: vertices move toward the weighted
// mean of their neighbours (boxes count more than waypoints, so a main path
// stays straight while shortcuts bend around it), sweep after sweep, while
// each layer keeps its order and the gaps between neighbours (a weighted
// isotonic regression per layer). A last pass lines up the waypoints of each
// long edge in one column where the layers leave room.
func (d *Diagram) placeX() {
	for _, l := range d.layers {
		x := vg.Length(0)
		for _, v := range l {
			d.verts[v].x = x + d.verts[v].w/2
			x += d.verts[v].w + colGap
		}
	}
	for it := range 24 {
		for s := range d.layers {
			l := s
			if it%2 == 1 {
				l = len(d.layers) - 1 - s
			}
			d.relax(d.layers[l], it%2, it >= 20)
		}
	}
	d.straighten()
	minX := vg.Length(math.Inf(1))
	maxX := vg.Length(math.Inf(-1))
	for _, v := range d.verts {
		minX, maxX = min(minX, v.x-v.w/2), max(maxX, v.x+v.w/2)
	}
	content := max(maxX-minX, 0)
	d.w = content + 2*margin
	for _, t := range d.title {
		d.w = max(d.w, titleStyl.Width(t)+2*margin)
	}
	for i := range d.verts {
		d.verts[i].x += (d.w-content)/2 - minX
	}
}

// relax moves the vertices of one layer toward their neighbours above
// (dir 0), below (dir 1) or both.
func (d *Diagram) relax(layer []int, dir int, both bool) {
	n := len(layer)
	want, wt, gap := make([]float64, n), make([]float64, n), make([]float64, n)
	for k, v := range layer {
		vx := &d.verts[v]
		nb := vx.up
		if dir == 1 {
			nb = vx.down
		}
		if both {
			nb = append(slices.Clone(vx.up), vx.down...)
		}
		want[k], wt[k] = float64(vx.x), 1e-3
		if x, ok := d.meanOf(nb); ok {
			want[k], wt[k] = x, 1
		}
		if k > 0 {
			gap[k] = float64(d.verts[layer[k-1]].w/2 + colGap + vx.w/2)
		}
	}
	for k, x := range isotonic(want, wt, gap) {
		d.verts[layer[k]].x = vg.Length(x)
	}
}

// straighten lines up every path segment (a run of vertices with at most
// one neighbour above and one below: a chain of layers, or the waypoints of
// a long edge) in one column, at the median x of its vertices, moving other
// vertices aside as little as it can. Then, a few times over, each segment
// of boxes moves as a whole toward the vertices at its two ends and the
// branching vertices toward their neighbours, so that a main path running
// through several blocks ends up in one column.
func (d *Diagram) straighten() {
	simple := func(v int) bool { return len(d.verts[v].up) <= 1 && len(d.verts[v].down) <= 1 }
	target := make(map[int]float64)
	var segs [][]int
	seen := make([]bool, len(d.verts))
	for _, ly := range d.layers {
		for _, v := range ly {
			if seen[v] || !simple(v) {
				continue
			}
			seg := []int{v}
			seen[v] = true
			for u := v; len(d.verts[u].down) == 1 && simple(d.verts[u].down[0]); {
				u = d.verts[u].down[0]
				seg, seen[u] = append(seg, u), true
			}
			if len(seg) < 2 {
				continue
			}
			xs := make([]float64, len(seg))
			for k, u := range seg {
				xs[k] = float64(d.verts[u].x)
			}
			slices.Sort(xs)
			for _, u := range seg {
				target[u] = xs[len(xs)/2]
			}
			segs = append(segs, seg)
		}
	}
	d.settle(segs, target)
	for round := range 8 {
		for _, seg := range segs {
			if seg[0] >= len(d.boxes) && seg[len(seg)-1] >= len(d.boxes) {
				continue // waypoints only: pushed aside, never pulled in
			}
			ends := append(slices.Clone(d.verts[seg[0]].up), d.verts[seg[len(seg)-1]].down...)
			if x, ok := d.meanOf(ends); ok {
				shift := x - target[seg[0]]
				for _, u := range seg {
					target[u] += shift
				}
			}
		}
		d.settle(segs, target)
		for s := range d.layers {
			l := s
			if round%2 == 1 {
				l = len(d.layers) - 1 - s
			}
			d.relaxFree(d.layers[l], target)
		}
	}
}

// settle moves the segments to their targets; segments that collide push
// each other aside: a segment displaced anywhere moves as a whole, until
// none is.
func (d *Diagram) settle(segs [][]int, target map[int]float64) {
	for range 6 {
		d.pinned(target, 1000)
		moved := false
		for _, seg := range segs {
			shift := 0.0
			for _, u := range seg {
				if dx := float64(d.verts[u].x) - target[u]; math.Abs(dx) > math.Abs(shift) {
					shift = dx
				}
			}
			if math.Abs(shift) > 0.01 {
				moved = true
				for _, u := range seg {
					target[u] += shift
				}
			}
		}
		if !moved {
			return
		}
	}
}

// pinned moves the vertices with a target toward it with weight w, the
// others staying where they are with weight 1, in every layer.
func (d *Diagram) pinned(target map[int]float64, w float64) {
	for _, layer := range d.layers {
		n := len(layer)
		want, wt, gap := make([]float64, n), make([]float64, n), make([]float64, n)
		for k, v := range layer {
			want[k], wt[k] = float64(d.verts[v].x), 1
			if x, ok := target[v]; ok {
				want[k], wt[k] = x, w
			}
			if k > 0 {
				gap[k] = float64(d.verts[layer[k-1]].w/2 + colGap + d.verts[v].w/2)
			}
		}
		for k, x := range isotonic(want, wt, gap) {
			d.verts[layer[k]].x = vg.Length(x)
		}
	}
}

// relaxFree moves the vertices of a layer that are not in a segment to the
// weighted mean of all their neighbours; segment vertices hold their place.
func (d *Diagram) relaxFree(layer []int, fixed map[int]float64) {
	n := len(layer)
	want, wt, gap := make([]float64, n), make([]float64, n), make([]float64, n)
	for k, v := range layer {
		vx := &d.verts[v]
		want[k], wt[k] = float64(vx.x), 1000
		if _, ok := fixed[v]; !ok {
			if x, ok := d.meanOf(append(slices.Clone(vx.up), vx.down...)); ok {
				want[k], wt[k] = x, 1
			}
		}
		if k > 0 {
			gap[k] = float64(d.verts[layer[k-1]].w/2 + colGap + vx.w/2)
		}
	}
	for k, x := range isotonic(want, wt, gap) {
		d.verts[layer[k]].x = vg.Length(x)
	}
}

// meanOf is the mean x of vertices, boxes weighing 20 times more than
// waypoints.
func (d *Diagram) meanOf(vs []int) (float64, bool) {
	sum, sw := 0.0, 0.0
	for _, u := range vs {
		w := 1.0
		if u >= len(d.boxes) {
			w = 0.05
		}
		sum, sw = sum+w*float64(d.verts[u].x), sw+w
	}
	return sum / sw, sw > 0
}

// isotonic returns the x closest to want in weighted least squares with
// x[k] - x[k-1] >= gap[k], by pool-adjacent-violators on x[k] - offset[k].
func isotonic(want, wt, gap []float64) []float64 {
	n := len(want)
	off := make([]float64, n)
	for k := 1; k < n; k++ {
		off[k] = off[k-1] + gap[k]
	}
	type block struct {
		sum, w float64
		n      int
	}
	var bs []block
	for k := range n {
		bs = append(bs, block{wt[k] * (want[k] - off[k]), wt[k], 1})
		for len(bs) > 1 && bs[len(bs)-2].sum/bs[len(bs)-2].w > bs[len(bs)-1].sum/bs[len(bs)-1].w {
			a, b := bs[len(bs)-2], bs[len(bs)-1]
			bs = append(bs[:len(bs)-2], block{a.sum + b.sum, a.w + b.w, a.n + b.n})
		}
	}
	out := make([]float64, 0, n)
	for _, b := range bs {
		for range b.n {
			out = append(out, b.sum/b.w+off[len(out)])
		}
	}
	return out
}

func (d *Diagram) placeY() {
	y := margin
	for _, t := range d.title {
		y += titleStyl.Height(t) + 2
	}
	y += 6
	d.layerY = make([]vg.Length, len(d.layers))
	d.layerH = make([]vg.Length, len(d.layers))
	for l, ly := range d.layers {
		for _, v := range ly {
			if v < len(d.boxes) {
				d.layerH[l] = max(d.layerH[l], d.boxes[v].h)
			}
		}
		d.layerY[l] = y
		y += d.layerH[l] + rowGap
	}
	d.h = y - rowGap + margin
	if len(d.layers) == 0 {
		d.h = y + margin
	}
}
