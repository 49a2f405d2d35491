package search

import (
	"errors"
	"time"

	"github.com/morphml/morphml/core/space"
)

// StudyInfo is what a store keeps about a study besides its trials.
type StudyInfo struct {
	Name       string
	Directions []Direction
	Params     []space.Param // the space's parameters, to name and type stored values
	Optimizer  string        // registered optimizer name
	Seed       int64
	Source     string            // the .morph text (or other spec) the study was made from, for resume
	Attrs      map[string]string // free-form facts (dataset, evaluator, ...)
	Created    time.Time
}

// Errors a Storage returns.
var (
	ErrStudyExists   = errors.New("study already exists")
	ErrNoStudy       = errors.New("no such study")
	ErrTrialFinished = errors.New("trial already finished") // first writer wins
	ErrNoTrial       = errors.New("no such trial")
)

// Storage persists studies and trials. Implementations are safe for
// concurrent use. A finished trial is recorded exactly once: a second
// FinishTrial for the same study and ID fails with ErrTrialFinished and
// changes nothing.
type Storage interface {
	CreateStudy(info StudyInfo) error
	LoadStudy(name string) (StudyInfo, error)
	ListStudies() ([]StudyInfo, error)
	// Trials returns every trial of a study, finished or running, in ID order,
	// with params, values, curve, attrs and arch.
	Trials(study string) ([]Trial, error)
	// StartTrial records t (State Running). Starting an ID that is running
	// already (a resumed run re-evaluating it) succeeds and resets its curve;
	// starting a finished one fails with ErrTrialFinished.
	StartTrial(study string, t Trial) error
	// Report appends an intermediate value to a running trial.
	Report(study string, id, step int, value float64) error
	// FinishTrial records the final state, values, curve and attrs of t.
	FinishTrial(study string, t Trial) error
	Close() error
}
