package storetest

import (
	"math/rand/v2"
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func testTrialRoundTrip(t *testing.T, s search.Storage) {
	create(t, s, "rt")
	start := Running(0)
	must(t, s.StartTrial("rt", start))
	wantTrials(t, s, "rt", asStarted(start))

	fin := Finished(0)
	for _, st := range fin.Curve {
		must(t, s.Report("rt", 0, st.Step, st.Value))
	}
	reported := asStarted(start)
	reported.Curve = fin.Curve
	wantTrials(t, s, "rt", reported)

	// The values cover NaN, +Inf and -Inf; FinishTrial's curve replaces the
	// reported one.
	fin.Values = []float64{nan(), inf(1), inf(-1), 0.9137, -0.0001}
	fin.Curve = append(fin.Curve, search.Step{Step: 4, Value: inf(1)}, search.Step{Step: 4, Value: 0.95})
	must(t, s.FinishTrial("rt", fin))
	wantTrials(t, s, "rt", fin)
}

func testTrialWithoutArch(t *testing.T, s search.Storage) {
	create(t, s, "hpo")
	tr := search.Trial{ID: 0, Params: space.Point{2, 16, nan(), inf(1)}}
	must(t, s.StartTrial("hpo", tr))
	wantTrials(t, s, "hpo", tr)
	// A failed trial: no values, no times, only the error.
	tr.State = search.Failed
	tr.Attrs = map[string]string{search.AttrError: "out of memory", search.AttrInfeasible: "true"}
	must(t, s.FinishTrial("hpo", tr))
	wantTrials(t, s, "hpo", tr)

	pruned := search.Trial{ID: 1, State: search.Pruned, Curve: []search.Step{{Step: 0, Value: 0.1}}, Finished: at(5)}
	must(t, s.StartTrial("hpo", search.Trial{ID: 1}))
	must(t, s.FinishTrial("hpo", pruned))
	wantTrials(t, s, "hpo", tr, pruned)
}

func testTrialsInIDOrder(t *testing.T, s search.Storage) {
	create(t, s, "order")
	ids := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 19, 100, 1000}
	shuffled := append([]int(nil), ids...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	for _, id := range shuffled {
		must(t, s.StartTrial("order", Running(id)))
		if id%3 == 0 {
			must(t, s.FinishTrial("order", Finished(id)))
		}
	}
	var want []search.Trial
	for _, id := range ids {
		if id%3 == 0 {
			want = append(want, Finished(id))
		} else {
			want = append(want, asStarted(Running(id)))
		}
	}
	wantTrials(t, s, "order", want...)
}

func testStudiesAreSeparate(t *testing.T, s search.Storage) {
	create(t, s, "one")
	create(t, s, "two")
	must(t, s.StartTrial("one", Running(0)))
	must(t, s.StartTrial("two", Running(0)))
	must(t, s.Report("two", 0, 1, 0.25))
	must(t, s.FinishTrial("one", Finished(0)))
	wantTrials(t, s, "one", Finished(0))
	two := asStarted(Running(0))
	two.Curve = []search.Step{{Step: 1, Value: 0.25}}
	wantTrials(t, s, "two", two)
	// Finishing in "one" left trial 0 of "two" running.
	must(t, s.FinishTrial("two", Finished(0)))
	wantTrials(t, s, "two", Finished(0))
}

func testRestartRunning(t *testing.T, s search.Storage) {
	create(t, s, "resume")
	must(t, s.StartTrial("resume", Running(3)))
	must(t, s.Report("resume", 3, 1, 0.4))
	must(t, s.Report("resume", 3, 2, 0.6))

	// A resumed run re-claims the trial as loaded from the store: whatever
	// it carries, the curve and values start empty again.
	again := Running(3)
	again.State = search.Complete
	again.Started = at(3600)
	again.Attrs = map[string]string{"worker": "w2", "resumed": "true"}
	again.Curve = []search.Step{{Step: 1, Value: 0.4}, {Step: 2, Value: 0.6}}
	again.Values = []float64{0.6}
	again.Finished = at(3700)
	must(t, s.StartTrial("resume", again))
	wantTrials(t, s, "resume", asStarted(again))

	must(t, s.Report("resume", 3, 1, 0.45))
	restarted := asStarted(again)
	restarted.Curve = []search.Step{{Step: 1, Value: 0.45}}
	wantTrials(t, s, "resume", restarted)
}

func testRestartFinished(t *testing.T, s search.Storage) {
	create(t, s, "done")
	must(t, s.StartTrial("done", Running(0)))
	must(t, s.FinishTrial("done", Finished(0)))
	wantErr(t, "StartTrial of a finished trial", s.StartTrial("done", Running(0)), search.ErrTrialFinished, "done")
	wantTrials(t, s, "done", Finished(0))
}

func testFinishTwice(t *testing.T, s search.Storage) {
	create(t, s, "twice")
	must(t, s.StartTrial("twice", Running(0)))
	first := Finished(0)
	must(t, s.FinishTrial("twice", first))

	second := Finished(0)
	second.State = search.Failed
	second.Values = []float64{0.1, 0.2}
	second.Curve = []search.Step{{Step: 9, Value: 9}}
	second.Attrs = map[string]string{search.AttrError: "late writer"}
	second.Finished = at(999)
	wantErr(t, "second FinishTrial", s.FinishTrial("twice", second), search.ErrTrialFinished, "twice")
	wantErr(t, "FinishTrial of an equal result", s.FinishTrial("twice", first), search.ErrTrialFinished)
	wantTrials(t, s, "twice", first)
}

func testFinishKeepsReportedCurve(t *testing.T, s search.Storage) {
	create(t, s, "curve")
	must(t, s.StartTrial("curve", Running(0)))
	steps := []search.Step{{Step: 0, Value: 0.1}, {Step: 1, Value: nan()}, {Step: 1, Value: 0.3}, {Step: 5, Value: inf(-1)}}
	for _, st := range steps {
		must(t, s.Report("curve", 0, st.Step, st.Value))
	}
	fin := Finished(0)
	fin.State = search.Pruned
	fin.Values = nil
	fin.Curve = nil
	must(t, s.FinishTrial("curve", fin))
	fin.Curve = steps
	wantTrials(t, s, "curve", fin)
}

func testMissingTrial(t *testing.T, s search.Storage) {
	create(t, s, "sparse")
	must(t, s.StartTrial("sparse", Running(0)))
	wantErr(t, "Report", s.Report("sparse", 1, 1, 0.5), search.ErrNoTrial, "sparse", "1")
	wantErr(t, "FinishTrial", s.FinishTrial("sparse", Finished(2)), search.ErrNoTrial, "sparse", "2")
	wantTrials(t, s, "sparse", asStarted(Running(0)))
}

func testReportAfterFinish(t *testing.T, s search.Storage) {
	create(t, s, "late")
	must(t, s.StartTrial("late", Running(0)))
	must(t, s.FinishTrial("late", Finished(0)))
	wantErr(t, "Report", s.Report("late", 0, 4, 1), search.ErrTrialFinished, "late")
	wantTrials(t, s, "late", Finished(0))
}

// testCopies checks that callers cannot change stored records through the
// values they passed in or got back.
func testCopies(t *testing.T, s search.Storage) {
	info := Study("copies")
	must(t, s.CreateStudy(info))
	info.Attrs["dataset"] = "changed"
	info.Params[0].Choices[0] = "changed"
	info.Directions[0] = search.Minimize
	loaded, err := s.LoadStudy("copies")
	must(t, err)
	for _, d := range DiffStudy(Study("copies"), loaded) {
		t.Errorf("after changing the created info: %s", d)
	}
	loaded.Attrs["dataset"] = "changed"
	loaded.Params[0].Choices[0] = "changed"
	again, err := s.LoadStudy("copies")
	must(t, err)
	for _, d := range DiffStudy(Study("copies"), again) {
		t.Errorf("after changing a loaded info: %s", d)
	}

	tr := Running(0)
	must(t, s.StartTrial("copies", tr))
	tr.Params[0] = 2
	tr.Attrs["worker"] = "changed"
	tr.Arch.Nodes[1].Attrs["filters"] = 999
	tr.Arch.Labels["nb201"] = "changed"
	must(t, s.Report("copies", 0, 1, 0.5))
	fin := Finished(0)
	must(t, s.FinishTrial("copies", fin))
	fin.Values[0] = -1
	fin.Curve[0].Value = -1
	fin.Attrs["epochs"] = "changed"
	wantTrials(t, s, "copies", Finished(0))

	got := trials(t, s, "copies")
	got[0].Params[0] = 2
	got[0].Values[0] = -1
	got[0].Curve[0].Step = -1
	got[0].Attrs["worker"] = "changed"
	got[0].Arch.Nodes[1].Attrs["filters"] = 999
	got[0].Arch.Nodes[3].Inputs[0] = 1
	got[0].Arch.Input[0] = 1
	wantTrials(t, s, "copies", Finished(0))
}
