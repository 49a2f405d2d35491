package plots

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/search"
)

func TestLearningCurves(t *testing.T) {
	withCurve := func(tr search.Trial, vals ...float64) search.Trial {
		for i, v := range vals {
			tr.Curve = append(tr.Curve, search.Step{Step: i + 1, Value: v})
		}
		return tr
	}
	trials := []search.Trial{
		withCurve(trial(0, search.Complete, 0.6), 0.3, 0.5, 0.6),
		withCurve(trial(1, search.Pruned), 0.2, math.NaN()),
		withCurve(trial(2, search.Complete, 0.8), 0.4, 0.8),
		withCurve(trial(3, search.Running), 0.9),
		trial(4, search.Complete, 0.9), // cached: no curve of its own
		withCurve(trial(5, search.Failed), math.Inf(1)),
		withCurve(trial(6, search.Failed), 0.1),
	}
	cases := []struct {
		dir  search.Direction
		best int
	}{{search.Maximize, 2}, {search.Minimize, 0}}
	for _, c := range cases {
		d := LearningCurves(search.StudyInfo{Directions: []search.Direction{c.dir}}, trials)
		var got []string
		for _, l := range d.Curves {
			got = append(got, fmt.Sprintf("%d:%v:%v:%v", l.Trial, l.State, l.Steps, l.Values))
		}
		want := "0:complete:[1 2 3]:[0.3 0.5 0.6] 1:pruned:[1]:[0.2] 2:complete:[1 2]:[0.4 0.8] 6:failed:[1]:[0.1]"
		if strings.Join(got, " ") != want {
			t.Errorf("curves\n%s\nwant\n%s", strings.Join(got, " "), want)
		}
		if d.Best != c.best {
			t.Errorf("%v: best trial %d, want %d", c.dir, d.Best, c.best)
		}
	}
	if _, err := Curves(synthInfo(), []search.Trial{trial(0, search.Complete, 1)}); err == nil ||
		!strings.Contains(err.Error(), "no finished trial reported") {
		t.Errorf("Curves without curves: %v", err)
	}
}
