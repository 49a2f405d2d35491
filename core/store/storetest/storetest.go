// Package storetest is the conformance suite that every search.Storage
// backend runs, so the in-memory twin, SQLite and PostgreSQL stores keep the
// same semantics (as Optuna runs one storage test suite against each of its
// backends).
//
// A backend's test calls Run with a function that opens a new, empty store:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) search.Storage {
//			s, err := sqlite.Open(filepath.Join(t.TempDir(), "study.db"))
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// The fixtures and Diff functions are exported for backend-specific tests
// such as reopening a file.
package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Run runs the conformance suite, one subtest per behaviour. open must
// return a new, empty store each time it is called; Run closes it when the
// subtest ends (before open's own t.Cleanup functions run).
func Run(t *testing.T, open func(t *testing.T) search.Storage) {
	for _, tc := range suite {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, s)
		})
	}
}

var suite = []struct {
	name string
	fn   func(*testing.T, search.Storage)
}{
	{"CreateLoadList", testCreateLoadList},
	{"DuplicateStudy", testDuplicateStudy},
	{"MissingStudy", testMissingStudy},
	{"InvalidInput", testInvalidInput},
	{"DeleteStudy", testDeleteStudy},
	{"TrialRoundTrip", testTrialRoundTrip},
	{"TrialWithoutArch", testTrialWithoutArch},
	{"TrialsInIDOrder", testTrialsInIDOrder},
	{"StudiesAreSeparate", testStudiesAreSeparate},
	{"RestartRunning", testRestartRunning},
	{"RestartFinished", testRestartFinished},
	{"FinishTwice", testFinishTwice},
	{"FinishKeepsReportedCurve", testFinishKeepsReportedCurve},
	{"MissingTrial", testMissingTrial},
	{"ReportAfterFinish", testReportAfterFinish},
	{"Copies", testCopies},
	{"ConcurrentFinish", testConcurrentFinish},
	{"ConcurrentStudies", testConcurrentStudies},
	{"LargeValues", testLargeValues},
	{"Unicode", testUnicode},
}

// zone is a non-UTC zone: stores must hand times back in UTC.
var zone = time.FixedZone("UTC+5:30", 5*3600+30*60)

// at is a time with nanoseconds, in zone.
func at(sec int) time.Time {
	return time.Date(2025, 3, 14, 15, 9, 26, 535897932, zone).Add(time.Duration(sec) * time.Second)
}

// Study returns a study definition that uses every field.
func Study(name string) search.StudyInfo {
	return search.StudyInfo{
		Name:       name,
		Directions: []search.Direction{search.Maximize, search.Minimize},
		Params: []space.Param{
			space.NewCategorical("op", "conv3x3", "conv5x5", "skip"),
			space.NewInt("width", 16, 256, true),
			space.NewFloat("lr", 1e-5, 0.1, true),
			space.NewFloat("dropout", 0, 0.5, false),
		},
		Optimizer: "evolution",
		Seed:      20250314,
		Source:    "space cnn {\n  op: choice(conv3x3, conv5x5, skip)\n}\n",
		Attrs:     map[string]string{"dataset": "cifar10", "evaluator": "nb201"},
		Created:   at(-60),
	}
}

// Arch returns a small cell with attributes, names, labels and a skip.
func Arch() *graph.Arch {
	return &graph.Arch{
		Input: graph.Shape{3, 32, 32},
		Nodes: []graph.Node{
			{Op: graph.OpInput, Name: "in"},
			{Op: graph.OpConv2D, Name: "cell0/edge0", Attrs: map[string]int{"filters": 16, "kernel": 3, "padding": -1}, Inputs: []int{0}},
			{Op: graph.OpReLU, Inputs: []int{1}},
			{Op: graph.OpAdd, Inputs: []int{0, 2}},
			{Op: graph.OpGlobalAvg, Inputs: []int{3}},
			{Op: graph.OpOutput, Attrs: map[string]int{"units": 10}, Inputs: []int{4}},
		},
		Labels: map[string]string{"nb201": "|nor_conv_3x3~0|+|skip_connect~0|"},
	}
}

// Running returns trial id as StartTrial takes it.
func Running(id int) search.Trial {
	return search.Trial{
		ID:       id,
		Params:   space.Point{1, 64, 0.00316, 0.25},
		Arch:     Arch(),
		ArchHash: fmt.Sprintf("sha256:%064x", id+1),
		State:    search.Running,
		Attrs:    map[string]string{"worker": "w1"},
		Started:  at(id),
	}
}

// Finished returns Running(id) as FinishTrial takes it: Complete, with a
// NaN and a +Inf among the values and a curve.
func Finished(id int) search.Trial {
	t := Running(id)
	t.State = search.Complete
	t.Values = []float64{0.9137, nan(), inf(1)}
	t.Curve = []search.Step{{Step: 1, Value: 0.5}, {Step: 2, Value: nan()}, {Step: 3, Value: 0.9137}}
	t.Attrs = map[string]string{"worker": "w1", "epochs": "3"}
	t.Finished = at(id).Add(90*time.Second + 123456789)
	return t
}

// must fails the test on an error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantErr fails the test unless err wraps target and mentions every word.
func wantErr(t *testing.T, op string, err, target error, words ...string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: error %v, want %v", op, err, target)
		return
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not mention %q", op, err, w)
		}
	}
}

// create creates Study(name) and fails the test on an error.
func create(t *testing.T, s search.Storage, name string) search.StudyInfo {
	t.Helper()
	info := Study(name)
	must(t, s.CreateStudy(info))
	return info
}

// trials reads a study's trials and fails the test on an error.
func trials(t *testing.T, s search.Storage, study string) []search.Trial {
	t.Helper()
	ts, err := s.Trials(study)
	must(t, err)
	return ts
}

// wantTrials checks the stored trials of a study.
func wantTrials(t *testing.T, s search.Storage, study string, want ...search.Trial) {
	t.Helper()
	got := trials(t, s, study)
	if len(got) != len(want) {
		ids := make([]int, len(got))
		for i, g := range got {
			ids[i] = g.ID
		}
		t.Fatalf("Trials(%q) returned %d trials %v, want %d", study, len(got), ids, len(want))
	}
	for i := range want {
		for _, d := range DiffTrial(want[i], got[i]) {
			t.Errorf("trial %d: %s", want[i].ID, d)
		}
	}
}

// asStarted is what the store holds after StartTrial(t).
func asStarted(t search.Trial) search.Trial {
	t.State = search.Running
	t.Values, t.Curve, t.Finished = nil, nil, time.Time{}
	return t
}
