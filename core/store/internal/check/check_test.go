package check

import (
	"errors"
	"testing"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func TestRules(t *testing.T) {
	ok := search.StudyInfo{Name: "s", Directions: []search.Direction{search.Minimize},
		Params: []space.Param{space.NewInt("w", 1, 8, false)}, Created: time.Now()}
	tests := []struct {
		name string
		err  error
		bad  bool
	}{
		{"study", Study(ok), false},
		{"study without a name", Study(search.StudyInfo{}), true},
		{"bad direction", Study(search.StudyInfo{Name: "s", Directions: []search.Direction{2}}), true},
		{"bad kind", Study(search.StudyInfo{Name: "s", Params: []space.Param{{Name: "p", Kind: 3}}}), true},
		{"created in 1600", Study(search.StudyInfo{Name: "s", Created: time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)}), true},
		{"start", Start("s", search.Trial{ID: 0}), false},
		{"start a finished state", Start("s", search.Trial{ID: 3, State: search.Complete}), false},
		{"start negative", Start("s", search.Trial{ID: -1}), true},
		{"start in 2300", Start("s", search.Trial{Started: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)}), true},
		{"start at the last nanosecond", Start("s", search.Trial{Started: time.Unix(0, 1<<63-1)}), false},
		{"finish complete", Finish("s", search.Trial{State: search.Complete}), false},
		{"finish pruned", Finish("s", search.Trial{State: search.Pruned}), false},
		{"finish failed", Finish("s", search.Trial{State: search.Failed}), false},
		{"finish running", Finish("s", search.Trial{State: search.Running}), true},
		{"finish unknown state", Finish("s", search.Trial{State: 9}), true},
		{"finish negative", Finish("s", search.Trial{ID: -2, State: search.Failed}), true},
	}
	for _, tc := range tests {
		if (tc.err != nil) != tc.bad {
			t.Errorf("%s: error %v, want an error: %v", tc.name, tc.err, tc.bad)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		err    error
		target error
		text   string
	}{
		{Exists("a"), search.ErrStudyExists, `study "a": study already exists`},
		{NoStudy("b"), search.ErrNoStudy, `study "b": no such study`},
		{NoTrial("c", 4), search.ErrNoTrial, `study "c": trial 4: no such trial`},
		{Finished("d", 5), search.ErrTrialFinished, `study "d": trial 5: trial already finished`},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.target) || tc.err.Error() != tc.text {
			t.Errorf("%q: want %q wrapping %v", tc.err, tc.text, tc.target)
		}
	}
}

func TestUTC(t *testing.T) {
	if got := UTC(time.Time{}); got != (time.Time{}) {
		t.Errorf("UTC(zero) = %v", got)
	}
	in := time.Date(2025, 5, 6, 7, 8, 9, 10, time.FixedZone("X", 3600))
	if got := UTC(in); !got.Equal(in) || got.Location() != time.UTC || got != time.Unix(0, in.UnixNano()).UTC() {
		t.Errorf("UTC(%v) = %v", in, got)
	}
}
