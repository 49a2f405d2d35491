package plots

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/search"
)

// hypervolume2D calls search.Hypervolume2D with the coordinates apart.
func hypervolume2D(xs, ys []float64, dx, dy search.Direction, refX, refY float64) float64 {
	pts := make([][]float64, len(xs))
	for i := range xs {
		pts[i] = []float64{xs[i], ys[i]}
	}
	hv, err := search.Hypervolume2D(pts, []search.Direction{dx, dy}, []float64{refX, refY})
	if err != nil {
		panic(err)
	}
	return hv
}

func TestHypervolume2D(t *testing.T) {
	min2 := [2]search.Direction{search.Minimize, search.Minimize}
	max2 := [2]search.Direction{search.Maximize, search.Maximize}
	cases := []struct {
		name       string
		xs, ys     []float64
		dirs       [2]search.Direction
		refX, refY float64
		want       float64
	}{
		{"one point", []float64{0.5}, []float64{0.5}, min2, 1, 1, 0.25},
		// inclusion-exclusion: .16 + .25 + .16 - .1 - .1 - .04 + .04
		{"three points", []float64{0.2, 0.5, 0.8}, []float64{0.8, 0.5, 0.2}, min2, 1, 1, 0.37},
		{"a dominated point adds nothing", []float64{0.2, 0.5, 0.8, 0.6}, []float64{0.8, 0.5, 0.2, 0.6}, min2, 1, 1, 0.37},
		{"beyond the reference", []float64{0.5, 1.2, 0.3}, []float64{0.5, 0.1, 1}, min2, 1, 1, 0.25},
		{"maximize", []float64{1, 2}, []float64{2, 1}, max2, 0, 0, 3},
		{"mixed directions", []float64{2, 5}, []float64{5, 8}, [2]search.Direction{search.Minimize, search.Maximize}, 10, 0, 55},
		{"duplicates", []float64{0.5, 0.5}, []float64{0.5, 0.5}, min2, 1, 1, 0.25},
		{"empty", nil, nil, min2, 1, 1, 0},
	}
	for _, c := range cases {
		if got := hypervolume2D(c.xs, c.ys, c.dirs[0], c.dirs[1], c.refX, c.refY); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestHypervolumeAgainstGrid checks the sweep against an independent
// estimate: the share of a fine grid's cell centres that some point
// dominates.
func TestHypervolumeAgainstGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for trial := range 5 {
		n := 3 + trial*4
		xs, ys := make([]float64, n), make([]float64, n)
		for i := range xs {
			xs[i], ys[i] = rng.Float64(), rng.Float64()
		}
		const g = 500
		in := 0
		for a := range g {
			for b := range g {
				x, y := (float64(a)+0.5)/g, (float64(b)+0.5)/g
				for i := range xs {
					if xs[i] <= x && ys[i] <= y {
						in++
						break
					}
				}
			}
		}
		grid := float64(in) / (g * g)
		got := hypervolume2D(xs, ys, search.Minimize, search.Minimize, 1, 1)
		if math.Abs(got-grid) > 0.005 {
			t.Errorf("%d points: sweep %.4f, grid %.4f", n, got, grid)
		}
	}
}

// paretoTrials are value (maximized) vs parameters (minimized, an attribute).
func paretoTrials() []search.Trial {
	rows := []struct {
		acc    float64
		params int
	}{
		{70, 100}, // 0: front (smallest)
		{80, 300}, // 1: front
		{75, 300}, // 2: dominated by 1
		{80, 300}, // 3: equal to 1: front too
		{90, 900}, // 4: front (best)
		{85, 950}, // 5: dominated by 4
		{70, 200}, // 6: dominated by 0
	}
	var out []search.Trial
	for i, r := range rows {
		t := trial(i, search.Complete, r.acc)
		t.Attrs = map[string]string{search.AttrArchParams: strconv.Itoa(r.params)}
		out = append(out, t)
	}
	return append(out, trial(7, search.Failed))
}

func TestParetoFront(t *testing.T) {
	info := synthInfo()
	opts := ParetoOptions{X: AttrMetric(search.AttrArchParams, search.Minimize), Y: Metric{}}
	d, err := ParetoFront(info, paretoTrials(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, p := range d.Front {
		ids = append(ids, p.Trial)
	}
	if fmt.Sprint(ids) != "[0 1 3 4]" || len(d.Points) != 7 {
		t.Errorf("front %v of %d points, want [0 1 3 4] of 7", ids, len(d.Points))
	}
	for _, p := range d.Points {
		on := p.Trial == 0 || p.Trial == 1 || p.Trial == 3 || p.Trial == 4
		if p.Front != on {
			t.Errorf("trial %d: Front %v", p.Trial, p.Front)
		}
	}
	// Default reference: the front's nadir (900 params, 70 %) moved a tenth
	// of the front's range (800, 20) further out.
	if d.RefX != 980 || d.RefY != 68 {
		t.Errorf("reference (%v, %v), want (980, 68)", d.RefX, d.RefY)
	}
	want := hypervolume2D([]float64{100, 300, 900}, []float64{70, 80, 90}, search.Minimize, search.Maximize, 980, 68)
	if d.Hypervolume != want || want != 880*2+680*10+80*10 {
		t.Errorf("hypervolume %v, want %v", d.Hypervolume, want)
	}
	opts.Reference = []float64{1000, 60}
	if d, _ = ParetoFront(info, paretoTrials(), opts); d.RefX != 1000 || d.Hypervolume != 900*10+700*10+100*10 {
		t.Errorf("explicit reference: (%v, %v) hypervolume %v", d.RefX, d.RefY, d.Hypervolume)
	}
	stairs := staircase(d)
	if got := fmt.Sprint(stairs); got != "[{100 70} {300 70} {300 80} {300 80} {300 80} {900 80} {900 90}]" {
		t.Errorf("staircase %s", got)
	}
	for _, bad := range []struct {
		opts ParetoOptions
		want string
	}{
		{ParetoOptions{X: Metric{Objective: 3}}, "pareto x: objective 3"},
		{ParetoOptions{Y: Metric{Objective: -1}}, "pareto y"},
		{ParetoOptions{X: AttrMetric("nope", search.Minimize)}, "no complete trial has both values"},
		{ParetoOptions{Reference: []float64{1}}, "want two numbers"},
	} {
		if _, err := ParetoFront(info, paretoTrials(), bad.opts); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("ParetoFront(%+v) = %v, want an error with %q", bad.opts, err, bad.want)
		}
	}
}

// TestMarkFrontBruteForce compares the sweep with the definition on random
// points with many ties.
func TestMarkFrontBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	dirs := []search.Direction{search.Maximize, search.Minimize}
	for trial := range 200 {
		mx, my := Metric{Direction: dirs[trial%2]}, Metric{Direction: dirs[trial/2%2]}
		pts := make([]ParetoPoint, 1+rng.IntN(30))
		for i := range pts {
			pts[i] = ParetoPoint{Trial: i, X: float64(rng.IntN(6)), Y: float64(rng.IntN(6))}
		}
		markFront(pts, mx, my)
		for i, p := range pts {
			dominated := false
			for j, q := range pts {
				if j != i && !mx.better(p.X, q.X) && !my.better(p.Y, q.Y) && (mx.better(q.X, p.X) || my.better(q.Y, p.Y)) {
					dominated = true
				}
			}
			if p.Front == dominated {
				t.Fatalf("%v, %v: point %+v: Front %v, dominated %v (points %v)", mx.Direction, my.Direction, p, p.Front, dominated, pts)
			}
		}
	}
}
