// Package check holds the input rules and error values that every store
// backend shares, so that all of them reject the same things with the same
// messages.
package check

import (
	"fmt"
	"math"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Times are stored as Unix nanoseconds; these are the bounds of that range.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// Time checks that a timestamp is zero or representable in Unix nanoseconds
// (years 1678 to 2262).
func Time(what string, t time.Time) error {
	if t.IsZero() || (!t.Before(minTime) && !t.After(maxTime)) {
		return nil
	}
	return fmt.Errorf("%s time %v is outside the storable range (years 1678 to 2262)", what, t)
}

// Study checks a study definition before it is created.
func Study(info search.StudyInfo) error {
	if info.Name == "" {
		return fmt.Errorf("create study: a name is required")
	}
	for i, d := range info.Directions {
		if d != search.Maximize && d != search.Minimize {
			return fmt.Errorf("create study %q: direction %d is %d, not maximize or minimize", info.Name, i, int(d))
		}
	}
	for i, p := range info.Params {
		if p.Kind != space.Categorical && p.Kind != space.Int && p.Kind != space.Float {
			return fmt.Errorf("create study %q: parameter %d (%q) has unknown kind %v", info.Name, i, p.Name, p.Kind)
		}
	}
	if err := Time("created", info.Created); err != nil {
		return fmt.Errorf("create study %q: %w", info.Name, err)
	}
	return nil
}

// Start checks a trial before StartTrial records it.
func Start(study string, t search.Trial) error {
	if t.ID < 0 {
		return fmt.Errorf("study %q: start trial %d: negative ID", study, t.ID)
	}
	if err := Time("started", t.Started); err != nil {
		return fmt.Errorf("study %q: start trial %d: %w", study, t.ID, err)
	}
	return nil
}

// Finish checks a trial before FinishTrial records it.
func Finish(study string, t search.Trial) error {
	if t.ID < 0 {
		return fmt.Errorf("study %q: finish trial %d: negative ID", study, t.ID)
	}
	switch t.State {
	case search.Complete, search.Pruned, search.Failed:
	default:
		return fmt.Errorf("study %q: finish trial %d: state %v is not final", study, t.ID, t.State)
	}
	if err := Time("finished", t.Finished); err != nil {
		return fmt.Errorf("study %q: finish trial %d: %w", study, t.ID, err)
	}
	return nil
}

// Exists is the error for creating a study that exists.
func Exists(study string) error {
	return fmt.Errorf("study %q: %w", study, search.ErrStudyExists)
}

// NoStudy is the error for a study that does not exist.
func NoStudy(study string) error {
	return fmt.Errorf("study %q: %w", study, search.ErrNoStudy)
}

// NoTrial is the error for a trial that does not exist.
func NoTrial(study string, id int) error {
	return fmt.Errorf("study %q: trial %d: %w", study, id, search.ErrNoTrial)
}

// Finished is the error for changing a finished trial.
func Finished(study string, id int) error {
	return fmt.Errorf("study %q: trial %d: %w", study, id, search.ErrTrialFinished)
}

// UTC returns t in UTC without a monotonic clock reading; the zero time
// stays zero.
func UTC(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Round(0).UTC()
}
