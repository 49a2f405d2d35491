package sqlite_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/store/sqlite"
	"github.com/morphml/morphml/core/store/storetest"
)

func open(t *testing.T) *sqlite.Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "study.db"))
}

func openBench(b *testing.B) *sqlite.Store {
	s := openAt(b, filepath.Join(b.TempDir(), "bench.db"))
	b.Cleanup(func() { s.Close() })
	must(b, s.CreateStudy(storetest.Study("bench")))
	return s
}

func openAt(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) search.Storage { return open(t) })
}

func wantTrials(t *testing.T, s search.Storage, study string, want ...search.Trial) {
	t.Helper()
	got, err := s.Trials(study)
	must(t, err)
	if len(got) != len(want) {
		t.Fatalf("%d trials, want %d", len(got), len(want))
	}
	for i := range want {
		for _, d := range storetest.DiffTrial(want[i], got[i]) {
			t.Errorf("trial %d: %s", want[i].ID, d)
		}
	}
}

// TestReopen closes the file and opens it again: everything is there, and
// a trial left running can be re-claimed and finished.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "study.db")
	s := openAt(t, path)
	info := storetest.Study("reopen")
	must(t, s.CreateStudy(info))
	must(t, s.CreateStudy(storetest.Study("other")))
	pruned := storetest.Finished(1)
	pruned.State, pruned.Values = search.Pruned, nil
	for _, tr := range []search.Trial{storetest.Running(0), storetest.Running(1), storetest.Running(2)} {
		must(t, s.StartTrial("reopen", tr))
	}
	must(t, s.Report("reopen", 2, 1, 0.5))
	must(t, s.FinishTrial("reopen", storetest.Finished(0)))
	must(t, s.FinishTrial("reopen", pruned))
	must(t, s.Close())

	s = openAt(t, path)
	defer s.Close()
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	got, err := s.LoadStudy("reopen")
	must(t, err)
	for _, d := range storetest.DiffStudy(info, got) {
		t.Error(d)
	}
	list, err := s.ListStudies()
	must(t, err)
	if len(list) != 2 {
		t.Errorf("%d studies, want 2", len(list))
	}
	running := storetest.Running(2)
	running.Curve = []search.Step{{Step: 1, Value: 0.5}}
	wantTrials(t, s, "reopen", storetest.Finished(0), pruned, running)

	must(t, s.StartTrial("reopen", storetest.Running(2)))
	must(t, s.FinishTrial("reopen", storetest.Finished(2)))
	wantErr := s.FinishTrial("reopen", storetest.Finished(0))
	if !errors.Is(wantErr, search.ErrTrialFinished) {
		t.Errorf("finishing a trial finished before the reopen: %v", wantErr)
	}
	wantTrials(t, s, "reopen", storetest.Finished(0), pruned, storetest.Finished(2))
}

// TestTwoHandles writes through two Stores on one file at once, as two
// processes would: each sees the other's writes and every trial has one
// winner.
func TestTwoHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a, b := openAt(t, path), openAt(t, path)
	defer a.Close()
	defer b.Close()
	const n = 40
	must(t, a.CreateStudy(storetest.Study("shared")))
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := map[int]int{}
	var failures []error
	for h, s := range []*sqlite.Store{a, b, a, b} {
		wg.Go(func() {
			for k := range n {
				id := (k + h*7) % n
				if err := s.StartTrial("shared", storetest.Running(id)); err != nil && !errors.Is(err, search.ErrTrialFinished) {
					mu.Lock()
					failures = append(failures, err)
					mu.Unlock()
					continue
				}
				_ = s.Report("shared", id, h, float64(h)) // may race with a finish
				tr := storetest.Finished(id)
				tr.Values = []float64{float64(h)}
				err := s.FinishTrial("shared", tr)
				mu.Lock()
				switch {
				case err == nil:
					wins[id]++
				case !errors.Is(err, search.ErrTrialFinished):
					failures = append(failures, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, err := range failures {
		t.Error(err)
	}
	for id := range n {
		if wins[id] != 1 {
			t.Errorf("trial %d finished %d times", id, wins[id])
		}
	}
	ta, err := a.Trials("shared")
	must(t, err)
	tb, err := b.Trials("shared")
	must(t, err)
	if len(ta) != n || len(tb) != n {
		t.Fatalf("handles see %d and %d trials, want %d", len(ta), len(tb), n)
	}
	for i := range ta {
		if d := storetest.DiffTrial(ta[i], tb[i]); len(d) > 0 || ta[i].State != search.Complete {
			t.Errorf("trial %d: state %v, the handles differ: %v", i, ta[i].State, d)
		}
	}
}

// rawDB opens the file with database/sql directly, as a user with SQL would.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "schema.db")
	s := openAt(t, path)
	must(t, s.CreateStudy(storetest.Study("sql")))
	must(t, s.StartTrial("sql", storetest.Running(0)))
	must(t, s.FinishTrial("sql", storetest.Finished(0)))
	must(t, s.Close())
	must(t, openAt(t, path).Close()) // a second open migrates nothing

	db := rawDB(t, path)
	var mode string
	must(t, db.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	var versions, latest int
	must(t, db.QueryRow(`SELECT COUNT(*), MAX(version) FROM schema_version`).Scan(&versions, &latest))
	if versions != 1 || latest != 1 {
		t.Errorf("schema_version has %d rows up to %d, want 1 up to 1", versions, latest)
	}
	// The tables read as a researcher would query them.
	for _, tc := range []struct {
		query string
		want  string
	}{
		{`SELECT group_concat(name || '=' || label, ' ' ORDER BY idx) FROM trial_params`,
			"op=conv5x5 width=64 lr=0.00316 dropout=0.25"},
		{`SELECT group_concat(objective || ':' || coalesce(value, 'NaN'), ' ' ORDER BY objective) FROM trial_values`,
			"0:0.9137 1:NaN 2:Inf"},
		{`SELECT state || ' ' || arch_hash FROM trials`, "complete sha256:" + strings.Repeat("0", 63) + "1"},
		{`SELECT json_extract(arch, '$.nodes[1].attrs.filters') FROM trials`, "16"},
		{`SELECT group_concat(step, ',' ORDER BY seq) FROM trial_steps`, "1,2,3"},
		{`SELECT json_extract(params, '$[2].kind') || ' ' || json_extract(directions, '$[1]') FROM studies`, "float minimize"},
	} {
		var got string
		must(t, db.QueryRow(tc.query).Scan(&got))
		if got != tc.want {
			t.Errorf("%s\n got %q\nwant %q", tc.query, got, tc.want)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	must(t, openAt(t, path).Close())
	_, err := rawDB(t, path).Exec(`INSERT INTO schema_version (version, applied) VALUES (99, 0)`)
	must(t, err)
	s, err := sqlite.Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted a file with a newer schema")
	}
	if !strings.Contains(err.Error(), "99") || !strings.Contains(err.Error(), "newer") {
		t.Errorf("error %q does not explain the version", err)
	}
}

func TestOpenPaths(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		path string
		ok   bool
	}{
		{"special characters", filepath.Join(dir, "a ?#%&=b", "x?y#z%20.db"), true},
		{"unicode", filepath.Join(dir, "研究", "étude.db"), true},
		{"empty", "", false},
		{"missing directory", filepath.Join(dir, "no", "such", "dir", "s.db"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.ok {
				must(t, os.MkdirAll(filepath.Dir(tc.path), 0o755))
			}
			s, err := sqlite.Open(tc.path)
			if !tc.ok {
				if err == nil {
					s.Close()
					t.Fatalf("Open(%q) succeeded", tc.path)
				}
				return
			}
			must(t, err)
			must(t, s.CreateStudy(search.StudyInfo{Name: "p"}))
			must(t, s.Close())
			if _, err := os.Stat(tc.path); err != nil {
				t.Errorf("the file is not where asked: %v", err)
			}
		})
	}
}

func TestDeleteCascades(t *testing.T) {
	path := filepath.Join(t.TempDir(), "del.db")
	s := openAt(t, path)
	must(t, s.CreateStudy(storetest.Study("gone")))
	must(t, s.StartTrial("gone", storetest.Running(0)))
	must(t, s.Report("gone", 0, 1, 1))
	must(t, s.FinishTrial("gone", storetest.Finished(0)))
	must(t, s.DeleteStudy("gone"))
	must(t, s.Close())
	db := rawDB(t, path)
	for _, table := range []string{"studies", "trials", "trial_params", "trial_values", "trial_steps", "trial_attrs"} {
		var n int
		must(t, db.QueryRow(fmt.Sprintf(`SELECT COUNT(*) FROM %s`, table)).Scan(&n))
		if n != 0 {
			t.Errorf("%s keeps %d rows after DeleteStudy", table, n)
		}
	}
}
