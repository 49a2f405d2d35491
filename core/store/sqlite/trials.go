package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/store/internal/check"
)

// StartTrial implements search.Storage. It records t's params, architecture,
// arch hash, attrs and start time with State Running, and no values, curve
// or finish time; on a running trial it replaces all of that.
func (s *Store) StartTrial(study string, t search.Trial) error {
	if err := check.Start(study, t); err != nil {
		return err
	}
	arch, err := encodeArch(t.Arch)
	if err != nil {
		return wrap(err, "study %q: start trial %d", study, t.ID)
	}
	err = s.write(func(tx *sql.Tx) error {
		var sid int64
		var params string
		err := tx.QueryRow(`SELECT id, params FROM studies WHERE name = ?`, study).Scan(&sid, &params)
		if errors.Is(err, sql.ErrNoRows) {
			return check.NoStudy(study)
		} else if err != nil {
			return err
		}
		ps, err := decodeParams(params)
		if err != nil {
			return err
		}
		var tid int64
		var state string
		err = tx.QueryRow(`SELECT id, state FROM trials WHERE study_id = ? AND number = ?`, sid, t.ID).Scan(&tid, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.Exec(`INSERT INTO trials (study_id, number, state, arch_hash, arch, started)
				VALUES (?, ?, 'running', ?, ?, ?)`, sid, t.ID, t.ArchHash, arch, sqlTime(t.Started))
			if err != nil {
				return err
			}
			if tid, err = res.LastInsertId(); err != nil {
				return err
			}
		case err != nil:
			return err
		case state != search.Running.String():
			return check.Finished(study, t.ID)
		default: // re-claim a running trial
			if _, err := tx.Exec(`UPDATE trials SET arch_hash = ?, arch = ?, started = ?, finished = NULL WHERE id = ?`,
				t.ArchHash, arch, sqlTime(t.Started), tid); err != nil {
				return err
			}
			for _, table := range []string{"trial_params", "trial_values", "trial_steps", "trial_attrs"} {
				if _, err := tx.Exec(`DELETE FROM `+table+` WHERE trial_id = ?`, tid); err != nil {
					return err
				}
			}
		}
		if err := insertParams(tx, tid, ps, t.Params); err != nil {
			return err
		}
		return insertAttrs(tx, tid, t.Attrs)
	})
	return wrap(err, "study %q: start trial %d", study, t.ID)
}

// Report implements search.Storage.
func (s *Store) Report(study string, id, step int, value float64) error {
	err := s.write(func(tx *sql.Tx) error {
		tid, err := runningTrial(tx, study, id)
		if err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO trial_steps (trial_id, seq, step, value)
			SELECT ?, COALESCE(MAX(seq) + 1, 0), ?, ? FROM trial_steps WHERE trial_id = ?`,
			tid, step, sqlFloat(value), tid)
		return err
	})
	return wrap(err, "study %q: trial %d: report step %d", study, id, step)
}

// FinishTrial implements search.Storage. It records t's state, values,
// attrs and finish time, and its curve unless t.Curve is empty (then the
// reported steps stay), all in one transaction and only if the trial is
// still running: the first writer wins.
func (s *Store) FinishTrial(study string, t search.Trial) error {
	if err := check.Finish(study, t); err != nil {
		return err
	}
	err := s.write(func(tx *sql.Tx) error {
		tid, err := runningTrial(tx, study, t.ID)
		if err != nil {
			return err
		}
		res, err := tx.Exec(`UPDATE trials SET state = ?, finished = ? WHERE id = ? AND state = 'running'`,
			t.State.String(), sqlTime(t.Finished), tid)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return check.Finished(study, t.ID)
		}
		tables := []string{"trial_values", "trial_attrs"}
		if len(t.Curve) > 0 {
			tables = append(tables, "trial_steps")
		}
		for _, table := range tables {
			if _, err := tx.Exec(`DELETE FROM `+table+` WHERE trial_id = ?`, tid); err != nil {
				return err
			}
		}
		if err := insertValues(tx, tid, t.Values); err != nil {
			return err
		}
		if len(t.Curve) > 0 {
			if err := insertSteps(tx, tid, t.Curve); err != nil {
				return err
			}
		}
		return insertAttrs(tx, tid, t.Attrs)
	})
	return wrap(err, "study %q: finish trial %d", study, t.ID)
}

// runningTrial returns the row ID of a running trial, or an ErrNoStudy,
// ErrNoTrial or ErrTrialFinished error.
func runningTrial(tx *sql.Tx, study string, id int) (int64, error) {
	var tid int64
	var state string
	err := tx.QueryRow(`SELECT t.id, t.state FROM trials t JOIN studies s ON s.id = t.study_id
		WHERE s.name = ? AND t.number = ?`, study, id).Scan(&tid, &state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := studyID(tx, study); err != nil {
			return 0, err
		}
		return 0, check.NoTrial(study, id)
	case err != nil:
		return 0, err
	case state != search.Running.String():
		return 0, check.Finished(study, id)
	}
	return tid, nil
}

// insertRows runs one prepared INSERT per row.
func insertRows(tx *sql.Tx, query string, n int, args func(i int) []any) error {
	if n == 0 {
		return nil
	}
	st, err := tx.Prepare(query)
	if err != nil {
		return err
	}
	defer st.Close()
	for i := range n {
		if _, err := st.Exec(args(i)...); err != nil {
			return err
		}
	}
	return nil
}

func insertParams(tx *sql.Tx, tid int64, ps []space.Param, pt space.Point) error {
	return insertRows(tx, `INSERT INTO trial_params (trial_id, idx, name, value, label) VALUES (?, ?, ?, ?, ?)`,
		len(pt), func(i int) []any {
			name, text := label(ps, i, pt[i])
			return []any{tid, i, name, sqlFloat(pt[i]), text}
		})
}

func insertValues(tx *sql.Tx, tid int64, vs []float64) error {
	return insertRows(tx, `INSERT INTO trial_values (trial_id, objective, value) VALUES (?, ?, ?)`,
		len(vs), func(i int) []any { return []any{tid, i, sqlFloat(vs[i])} })
}

func insertSteps(tx *sql.Tx, tid int64, curve []search.Step) error {
	return insertRows(tx, `INSERT INTO trial_steps (trial_id, seq, step, value) VALUES (?, ?, ?, ?)`,
		len(curve), func(i int) []any { return []any{tid, i, curve[i].Step, sqlFloat(curve[i].Value)} })
}

func insertAttrs(tx *sql.Tx, tid int64, attrs map[string]string) error {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	return insertRows(tx, `INSERT INTO trial_attrs (trial_id, key, value) VALUES (?, ?, ?)`,
		len(keys), func(i int) []any { return []any{tid, keys[i], attrs[keys[i]]} })
}

// Trials implements search.Storage. One read transaction and five queries
// load the whole study, whatever its size.
func (s *Store) Trials(study string) ([]search.Trial, error) {
	var out []search.Trial
	err := s.read(func(tx *sql.Tx) error {
		sid, err := studyID(tx, study)
		if err != nil {
			return err
		}
		out, err = loadTrials(tx, sid)
		return err
	})
	if err != nil {
		return nil, wrap(err, "study %q: load trials", study)
	}
	return out, nil
}

func loadTrials(tx *sql.Tx, sid int64) ([]search.Trial, error) {
	var out []search.Trial
	at := map[int64]*search.Trial{} // by row ID, once out stops growing
	var rowIDs []int64
	err := each(tx, `SELECT id, number, state, arch_hash, arch, started, finished
		FROM trials WHERE study_id = ? ORDER BY number`, sid, func(rows *sql.Rows) error {
		var (
			t                 search.Trial
			tid               int64
			state             string
			arch              sql.NullString
			started, finished sql.NullInt64
		)
		if err := rows.Scan(&tid, &t.ID, &state, &t.ArchHash, &arch, &started, &finished); err != nil {
			return err
		}
		var err error
		if t.State, err = search.ParseState(state); err != nil {
			return err
		}
		if t.Arch, err = decodeArch(arch); err != nil {
			return fmt.Errorf("trial %d: %w", t.ID, err)
		}
		t.Started, t.Finished = goTime(started), goTime(finished)
		out = append(out, t)
		rowIDs = append(rowIDs, tid)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, tid := range rowIDs {
		at[tid] = &out[i]
	}
	trial := func(tid int64) (*search.Trial, error) {
		if t, ok := at[tid]; ok {
			return t, nil
		}
		return nil, fmt.Errorf("a row refers to trial row %d, not in the study", tid)
	}
	// The children of every trial of the study, in order within each trial.
	child := func(table, cols, order string) string {
		return `SELECT c.trial_id, ` + cols + ` FROM ` + table + ` c JOIN trials t ON t.id = c.trial_id
			WHERE t.study_id = ? ORDER BY c.trial_id, c.` + order
	}
	var (
		tid  int64
		v    sql.NullFloat64
		step int
		k, x string
	)
	err = each(tx, child("trial_params", "c.value", "idx"), sid, func(rows *sql.Rows) error {
		if err := rows.Scan(&tid, &v); err != nil {
			return err
		}
		t, err := trial(tid)
		if err == nil {
			t.Params = append(t.Params, goFloat(v))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(tx, child("trial_values", "c.value", "objective"), sid, func(rows *sql.Rows) error {
		if err := rows.Scan(&tid, &v); err != nil {
			return err
		}
		t, err := trial(tid)
		if err == nil {
			t.Values = append(t.Values, goFloat(v))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(tx, child("trial_steps", "c.step, c.value", "seq"), sid, func(rows *sql.Rows) error {
		if err := rows.Scan(&tid, &step, &v); err != nil {
			return err
		}
		t, err := trial(tid)
		if err == nil {
			t.Curve = append(t.Curve, search.Step{Step: step, Value: goFloat(v)})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(tx, child("trial_attrs", "c.key, c.value", "key"), sid, func(rows *sql.Rows) error {
		if err := rows.Scan(&tid, &k, &x); err != nil {
			return err
		}
		t, err := trial(tid)
		if err == nil {
			if t.Attrs == nil {
				t.Attrs = map[string]string{}
			}
			t.Attrs[k] = x
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// each runs a query with one argument and calls fn for every row.
func each(tx *sql.Tx, query string, arg any, fn func(rows *sql.Rows) error) error {
	rows, err := tx.Query(query, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
