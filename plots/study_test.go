package plots

import (
	"strings"
	"testing"

	"github.com/morphml/morphml/core/search"
)

func TestStudyFigureKinds(t *testing.T) {
	info := synthInfo(search.Maximize, search.Minimize)
	trials := synthTrials(40, 2, 1)
	for _, kind := range Kinds {
		if kind == "arch" {
			continue // the synthetic trials have no architecture: checked below
		}
		fig, err := StudyFigure(info, trials, kind, StudyOptions{})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if png := fig.PNG(); len(png) < 1000 {
			t.Fatalf("%s: PNG of %d bytes", kind, len(png))
		}
	}
	for _, c := range []struct {
		kind string
		o    StudyOptions
		want string
	}{
		{"histogram", StudyOptions{}, `unknown figure kind "histogram"`},
		{"pareto", StudyOptions{X: "nope"}, "x: "},
		{"pareto", StudyOptions{Reference: []float64{1, 2, 3}}, "want two numbers"},
		{"importance", StudyOptions{Metric: "value7"}, "value7"},
		{"arch", StudyOptions{}, "no architecture"},
	} {
		_, err := StudyFigure(info, trials, c.kind, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %+v: error %v, want it to contain %q", c.kind, c.o, err, c.want)
		}
	}
}
