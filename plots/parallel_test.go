package plots

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestParallelCoordinates(t *testing.T) {
	info := synthInfo()
	mk := func(id int, op, lr, depth, noise, v float64) search.Trial {
		tr := trial(id, search.Complete, v)
		tr.Params = space.Point{op, lr, depth, noise, 0}
		return tr
	}
	trials := []search.Trial{
		mk(0, 0, 1e-3, 1, 2, 75),
		mk(1, 3, 1e-1, 8, 0, 70),
		mk(2, 1, 1e-4, 4, 1, 80),
		trial(3, search.Failed),
	}
	d, err := ParallelCoordinates(info, trials, Metric{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range d.Axes {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, " "); got != "op lr depth seed_noise value" {
		t.Fatalf("axes %s", got)
	}
	op := d.Axes[0]
	if !op.Categorical || fmt.Sprintf("%.4f", op.Ticks) != "[0.0000 0.3333 0.6667 1.0000]" ||
		strings.Join(op.Labels, ",") != "conv3x3,conv1x1,avgpool,skip" {
		t.Errorf("categorical axis: %+v", op)
	}
	lr := d.Axes[1]
	if !lr.Log || lr.Min != 1e-4 || lr.Max != 1e-1 || math.Abs(lr.position(1e-3)-1.0/3) > 1e-12 {
		t.Errorf("log axis: %+v, position of 1e-3 %v", lr, lr.position(1e-3))
	}
	if got := strings.Join(lr.Labels, ","); got != "0.0001,0.001,0.01,0.1" {
		t.Errorf("log axis labels %s", got)
	}
	depth := d.Axes[2]
	if depth.Min != 1 || depth.Max != 8 || depth.Log {
		t.Errorf("int axis covers the parameter's range: %+v", depth)
	}
	// Lines worst first; the objective axis spans the values.
	var order []int
	for _, l := range d.Lines {
		order = append(order, l.Trial)
	}
	if fmt.Sprint(order) != "[1 0 2]" {
		t.Errorf("line order %v, want worst first [1 0 2]", order)
	}
	best := d.Lines[2]
	want := []float64{1.0 / 3, 0, 3.0 / 7, 0.5, 1}
	for k := range want {
		if math.Abs(best.Y[k]-want[k]) > 1e-12 {
			t.Errorf("trial 2 on axis %s at %v, want %v", d.Axes[k].Name, best.Y[k], want[k])
		}
	}
	// A constant objective sits in the middle.
	flat := []search.Trial{mk(0, 0, 1e-3, 1, 2, 5), mk(1, 1, 1e-2, 2, 1, 5)}
	if d, _ := ParallelCoordinates(info, flat, Metric{}); d.Lines[0].Y[4] != 0.5 || len(d.Axes[4].Labels) != 1 {
		t.Errorf("constant objective: %v, labels %v", d.Lines[0].Y, d.Axes[4].Labels)
	}
	if _, err := ParallelCoordinates(info, trials[3:], Metric{}); err == nil {
		t.Error("no complete trial: no error")
	}
}
