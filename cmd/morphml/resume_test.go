package main

import (
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/store/sqlite"
)

const killSpec = `SearchSpace(name="nb201", cell=Cell.nb201())
Search(optimizer="evolution", budget=%d, seed=3, parallel=2, population_size=20, sample_size=5)
Evaluate(benchmark="nb201", dataset="cifar10")
`

func finishedTrials(t *testing.T, db, study string) []search.Trial {
	t.Helper()
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	trials, err := st.Trials(study)
	if err != nil {
		return nil
	}
	var done []search.Trial
	for _, tr := range trials {
		if tr.State.Finished() {
			done = append(done, tr)
		}
	}
	return done
}

// TestKillAndResume kills a running search with SIGKILL, resumes it, and
// checks that no finished trial was lost or changed, nothing was recorded
// twice, and the resumed study equals one that was never interrupted.
func TestKillAndResume(t *testing.T) {
	const budget = 1500
	dir := t.TempDir()
	spec := writeFile(t, dir, "kill.morph", fmt.Sprintf(killSpec, budget))
	db := filepath.Join(dir, "kill.db")

	child := cli(t, "run", spec, "--db", db, "--study", "k", "-q")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var before []search.Trial
	deadline := time.Now().Add(60 * time.Second)
	for len(before) < 200 {
		if time.Now().After(deadline) {
			child.Process.Kill()
			t.Fatal("the search did not get going within 60s")
		}
		time.Sleep(20 * time.Millisecond)
		before = finishedTrials(t, db, "k")
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	before = finishedTrials(t, db, "k")
	if len(before) >= budget {
		t.Fatalf("the search finished (%d trials) before it was killed; raise the budget", len(before))
	}
	t.Logf("killed after %d finished trials", len(before))

	out, errOut, code := morphml(t, "run", "--resume", "--study", "k", "--db", db, "-q")
	if code != 0 {
		t.Fatalf("resume: code %d\n%s\n%s", code, out, errOut)
	}
	after := finishedTrials(t, db, "k")
	if len(after) != budget {
		t.Fatalf("%d finished trials after resume, want %d", len(after), budget)
	}
	for i, tr := range after {
		if tr.ID != i {
			t.Fatalf("trial %d has ID %d: IDs not contiguous (duplicate or lost)", i, tr.ID)
		}
	}
	for _, b := range before {
		a := after[b.ID]
		if a.State != b.State || fmt.Sprint(a.Values) != fmt.Sprint(b.Values) || !a.Params.Equal(b.Params) || !a.Finished.Equal(b.Finished) {
			t.Fatalf("finished trial %d changed by the resume: %+v -> %+v", b.ID, b, a)
		}
	}

	// The same experiment, never interrupted, asks the same points.
	_, errOut, code = morphml(t, "run", spec, "--db", db, "--study", "whole", "-q")
	if code != 0 {
		t.Fatalf("uninterrupted run: %s", errOut)
	}
	whole := finishedTrials(t, db, "whole")
	for i := range whole {
		if !whole[i].Params.Equal(after[i].Params) {
			t.Fatalf("trial %d: resumed study asked %v, uninterrupted %v", i, after[i].Params, whole[i].Params)
		}
	}
}
