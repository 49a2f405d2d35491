package plots

import (
	"fmt"
	"testing"

	"github.com/morphml/morphml/core/search"
)

func trial(id int, state search.State, values ...float64) search.Trial {
	return search.Trial{ID: id, State: state, Values: values}
}

func TestHistoryData(t *testing.T) {
	pruned := trial(3, search.Pruned)
	pruned.Curve = []search.Step{{Step: 1, Value: 0.2}, {Step: 2, Value: 0.25}}
	trials := []search.Trial{
		trial(0, search.Complete, 0.5, 10),
		trial(2, search.Complete, 0.4, 12), // listed out of order on purpose
		trial(1, search.Complete, 0.7, 8),
		pruned,
		trial(4, search.Failed),
		trial(5, search.Running),
		trial(6, search.Pruned), // reported nothing
		trial(7, search.Complete, 0.9, 9),
	}
	cases := []struct {
		dirs                         []search.Direction
		objective                    int
		points, best, pruned, failed string
	}{
		{[]search.Direction{search.Maximize, search.Minimize}, 0,
			"[{0 0.5} {1 0.7} {2 0.4} {7 0.9}]", "[{0 0.5} {1 0.7} {2 0.7} {7 0.9}]", "[{3 0.25}]", "[4]"},
		{[]search.Direction{search.Maximize, search.Minimize}, 1,
			"[{0 10} {1 8} {2 12} {7 9}]", "[{0 10} {1 8} {2 8} {7 8}]", "[]", "[4]"},
		{[]search.Direction{search.Minimize, search.Minimize}, 0,
			"[{0 0.5} {1 0.7} {2 0.4} {7 0.9}]", "[{0 0.5} {1 0.5} {2 0.4} {7 0.4}]", "[{3 0.25}]", "[4]"},
	}
	for _, c := range cases {
		info := search.StudyInfo{Name: "h", Directions: c.dirs}
		data := HistoryData(info, trials)
		if len(data) != 2 {
			t.Fatalf("%d series, want one per objective", len(data))
		}
		s := data[c.objective]
		for _, chk := range []struct {
			name      string
			got, want string
		}{
			{"points", fmt.Sprint(s.Trials), c.points},
			{"best", fmt.Sprint(s.Best), c.best},
			{"pruned", fmt.Sprint(s.Pruned), c.pruned},
			{"failed", fmt.Sprint(s.Failed), c.failed},
		} {
			if chk.got != chk.want {
				t.Errorf("%v objective %d: %s %s, want %s", c.dirs, c.objective, chk.name, chk.got, chk.want)
			}
		}
	}
}

func TestHistoryNeedsAValue(t *testing.T) {
	_, err := History(synthInfo(), []search.Trial{trial(0, search.Failed)})
	if err == nil {
		t.Fatal("History of a study without a complete trial did not fail")
	}
	f, err := History(synthInfo(search.Maximize, search.Minimize), synthTrials(20, 2, 1))
	if err != nil || f.Height <= DefaultHeight || f.Plot() != nil {
		t.Errorf("two objectives: %v, height %v, plot %v: want two stacked panels", err, f.Height, f.Plot())
	}
}
