package stats_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/stats"
)

// On a smooth function of a mixed space, the search finds a point close to
// the maximum, never returns a skipped point, and is reproducible.
func TestMaximizeAcquisition(t *testing.T) {
	sp := &space.Space{Params: []space.Param{
		space.NewCategorical("c", "a", "b", "c", "d"),
		space.NewInt("i", 0, 50, false),
		space.NewFloat("f", -1, 1, false),
	}}
	acq := func(p space.Point) float64 {
		v := -math.Abs(p[1]-37) - 10*(p[2]-0.3)*(p[2]-0.3)
		if p[0] == 2 {
			v += 5
		}
		return v
	}
	skip := func(p space.Point) bool { return p[0] == 2 && p[1] == 37 } // the maximum's cell is taken
	run := func(seed uint64) (space.Point, float64) {
		p, v, ok := stats.MaximizeAcquisition(sp, acq, nil, skip, stats.AcquisitionSearch{Random: 50}, rand.New(rand.NewPCG(seed, 1)))
		if !ok {
			t.Fatal("nothing found")
		}
		return p, v
	}
	p, v := run(1)
	if skip(p) {
		t.Fatalf("returned the skipped point %v", p)
	}
	if p[0] != 2 || math.Abs(p[1]-37) > 1 || math.Abs(p[2]-0.3) > 0.15 {
		t.Errorf("best %v (value %v), want near (c, 37 or 36/38, 0.3)", p, v)
	}
	if q, _ := run(1); !q.Equal(p) {
		t.Errorf("same seed, different answers: %v, %v", p, q)
	}
	// Incumbents' neighbourhoods are searched: with no random points, a
	// climb from a far incumbent still reaches the top category.
	q, _, ok := stats.MaximizeAcquisition(sp, acq, []space.Point{{0, 0, -1}}, skip, stats.AcquisitionSearch{Random: -1, Steps: 100}, rand.New(rand.NewPCG(2, 1)))
	if !ok || q[0] != 2 {
		t.Errorf("climb from an incumbent reached %v", q)
	}
	// Everything skipped: not found.
	if _, _, ok := stats.MaximizeAcquisition(sp, acq, nil, func(space.Point) bool { return true }, stats.AcquisitionSearch{Random: 10}, rand.New(rand.NewPCG(3, 1))); ok {
		t.Error("found a point although every point is skipped")
	}
}
