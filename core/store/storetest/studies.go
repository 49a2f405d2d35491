package storetest

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func nan() float64         { return math.NaN() }
func inf(sign int) float64 { return math.Inf(sign) }

func testCreateLoadList(t *testing.T, s search.Storage) {
	got, err := s.ListStudies()
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("a new store lists %d studies", len(got))
	}
	// Created out of name order; ListStudies sorts by name.
	minimal := search.StudyInfo{Name: "a-minimal"}
	hpo := Study("b-hpo")
	hpo.Params[2] = space.NewFloat("x", inf(-1), inf(1), false) // infinite bounds must survive
	nas := Study("c-nas")
	nas.Directions = []search.Direction{search.Minimize}
	nas.Seed = -7
	for _, info := range []search.StudyInfo{nas, minimal, hpo} {
		must(t, s.CreateStudy(info))
	}
	want := []search.StudyInfo{minimal, hpo, nas}
	for _, w := range want {
		got, err := s.LoadStudy(w.Name)
		must(t, err)
		for _, d := range DiffStudy(w, got) {
			t.Errorf("LoadStudy(%q): %s", w.Name, d)
		}
	}
	list, err := s.ListStudies()
	must(t, err)
	if len(list) != len(want) {
		t.Fatalf("ListStudies: %d studies, want %d", len(list), len(want))
	}
	for i, w := range want {
		for _, d := range DiffStudy(w, list[i]) {
			t.Errorf("ListStudies()[%d]: %s", i, d)
		}
	}
	if ts := trials(t, s, "c-nas"); len(ts) != 0 {
		t.Errorf("a new study has %d trials", len(ts))
	}
}

func testDuplicateStudy(t *testing.T, s search.Storage) {
	first := create(t, s, "dup")
	second := Study("dup")
	second.Optimizer, second.Seed = "random", 1
	wantErr(t, "second CreateStudy", s.CreateStudy(second), search.ErrStudyExists, "dup")
	got, err := s.LoadStudy("dup")
	must(t, err)
	for _, d := range DiffStudy(first, got) {
		t.Errorf("after a duplicate create: %s", d)
	}
	if list, _ := s.ListStudies(); len(list) != 1 {
		t.Errorf("ListStudies: %d studies, want 1", len(list))
	}
}

func testMissingStudy(t *testing.T, s search.Storage) {
	create(t, s, "present")
	const name = "absent-study"
	for _, tc := range []struct {
		op  string
		err func() error
	}{
		{"LoadStudy", func() error { _, err := s.LoadStudy(name); return err }},
		{"Trials", func() error { _, err := s.Trials(name); return err }},
		{"StartTrial", func() error { return s.StartTrial(name, Running(0)) }},
		{"Report", func() error { return s.Report(name, 0, 1, 0.5) }},
		{"FinishTrial", func() error { return s.FinishTrial(name, Finished(0)) }},
		{"DeleteStudy", func() error {
			d, ok := s.(deleter)
			if !ok {
				return search.ErrNoStudy // not supported: nothing to check
			}
			return d.DeleteStudy(name)
		}},
	} {
		wantErr(t, tc.op, tc.err(), search.ErrNoStudy, name)
	}
	if ts := trials(t, s, "present"); len(ts) != 0 {
		t.Errorf("the other study gained %d trials", len(ts))
	}
}

func testInvalidInput(t *testing.T, s search.Storage) {
	create(t, s, "st")
	must(t, s.StartTrial("st", Running(0)))
	badDir := Study("bad-direction")
	badDir.Directions = []search.Direction{search.Direction(7)}
	badKind := Study("bad-kind")
	badKind.Params[0].Kind = space.Kind(9)
	running := Finished(0)
	running.State = search.Running
	unknown := Finished(0)
	unknown.State = search.State(42)
	tooEarly := Running(1)
	tooEarly.Started = time.Date(1200, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"study without a name", s.CreateStudy(search.StudyInfo{})},
		{"unknown direction", s.CreateStudy(badDir)},
		{"unknown parameter kind", s.CreateStudy(badKind)},
		{"negative trial ID", s.StartTrial("st", Running(-1))},
		{"start time out of range", s.StartTrial("st", tooEarly)},
		{"finish as running", s.FinishTrial("st", running)},
		{"finish in an unknown state", s.FinishTrial("st", unknown)},
	} {
		if tc.err == nil {
			t.Errorf("%s: no error", tc.name)
		}
		for _, sentinel := range []error{search.ErrStudyExists, search.ErrNoStudy, search.ErrNoTrial, search.ErrTrialFinished} {
			if errors.Is(tc.err, sentinel) {
				t.Errorf("%s: error %q wraps %v", tc.name, tc.err, sentinel)
			}
		}
	}
	list, err := s.ListStudies()
	must(t, err)
	if len(list) != 1 {
		t.Errorf("ListStudies: %d studies after rejected creates, want 1", len(list))
	}
	wantTrials(t, s, "st", asStarted(Running(0)))
}

// deleter is implemented by stores that can delete a study.
type deleter interface{ DeleteStudy(name string) error }

func testDeleteStudy(t *testing.T, s search.Storage) {
	d, ok := s.(deleter)
	if !ok {
		t.Skip("the store has no DeleteStudy method")
	}
	create(t, s, "keep")
	create(t, s, "drop")
	for _, study := range []string{"keep", "drop"} {
		must(t, s.StartTrial(study, Running(0)))
		must(t, s.Report(study, 0, 1, 0.5))
		must(t, s.FinishTrial(study, Finished(0)))
		must(t, s.StartTrial(study, Running(1)))
	}
	must(t, d.DeleteStudy("drop"))
	_, err := s.LoadStudy("drop")
	wantErr(t, "LoadStudy after delete", err, search.ErrNoStudy, "drop")
	_, err = s.Trials("drop")
	wantErr(t, "Trials after delete", err, search.ErrNoStudy, "drop")
	wantErr(t, "second delete", d.DeleteStudy("drop"), search.ErrNoStudy, "drop")
	list, err := s.ListStudies()
	must(t, err)
	if len(list) != 1 || list[0].Name != "keep" {
		t.Errorf("ListStudies after delete: %d studies, want only %q", len(list), "keep")
	}
	wantTrials(t, s, "keep", Finished(0), asStarted(Running(1)))
	// A new study of the same name starts empty.
	create(t, s, "drop")
	if ts := trials(t, s, "drop"); len(ts) != 0 {
		t.Errorf("a re-created study has %d trials", len(ts))
	}
}
