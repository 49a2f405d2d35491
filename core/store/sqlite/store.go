package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/store/internal/check"
)

// BusyTimeout is how long a write waits for another connection or process
// to release the database lock before it fails.
const BusyTimeout = 30 * time.Second

// readers is the size of the read connection pool.
const readers = 4

// Store is a search.Storage in one SQLite file. It is safe for concurrent
// use by many goroutines; several processes (or Stores) may open the same
// file at once.
type Store struct {
	path string
	// w has one connection, so writes of this process queue in database/sql
	// instead of contending for SQLite's lock; its transactions begin
	// IMMEDIATE, so a writer of another process waits (busy_timeout) at
	// BEGIN rather than failing on a lock upgrade.
	w *sql.DB
	// r is a pool of read-only connections; in WAL mode they read a
	// consistent snapshot while a write is under way.
	r *sql.DB
}

var _ search.Storage = (*Store)(nil)

// Open opens the store at path, creating the file and its schema if needed
// and migrating an older schema to the current one.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: open: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s := &Store{path: path}
	busy := fmt.Sprintf("_pragma=busy_timeout(%d)", BusyTimeout.Milliseconds())
	if s.w, err = openDB(abs, 1, busy, "_pragma=foreign_keys(1)", "_pragma=journal_mode(WAL)",
		"_pragma=synchronous(FULL)", "_txlock=immediate"); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := s.migrate(); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if s.r, err = openDB(abs, readers, busy, "_pragma=query_only(1)"); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// openDB opens a pool of at most n connections to the file at abs.
func openDB(abs string, n int, params ...string) (*sql.DB, error) {
	// A file: URI, so that '?', '#' and '%' in the path are escaped.
	dsn := (&url.URL{Scheme: "file", Path: abs}).String() + "?"
	for i, p := range params {
		if i > 0 {
			dsn += "&"
		}
		dsn += p
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Path is the file the store was opened with.
func (s *Store) Path() string { return s.path }

// Close closes the store's connections.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

// migrate brings the schema up to date in one transaction.
func (s *Store) migrate() error {
	return s.write(func(tx *sql.Tx) error {
		if _, err := tx.Exec(`CREATE TABLE IF NOT EXISTS schema_version (
			version INTEGER PRIMARY KEY,
			applied INTEGER NOT NULL -- Unix nanoseconds
		)`); err != nil {
			return err
		}
		var v int
		if err := tx.QueryRow(`SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
			return err
		}
		if v > len(migrations) {
			return fmt.Errorf("schema version %d is newer than this program's (%d): upgrade MorphML", v, len(migrations))
		}
		for ; v < len(migrations); v++ {
			for _, stmt := range migrations[v] {
				if _, err := tx.Exec(stmt); err != nil {
					return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
				}
			}
			if _, err := tx.Exec(`INSERT INTO schema_version (version, applied) VALUES (?, ?)`,
				v+1, time.Now().UnixNano()); err != nil {
				return err
			}
		}
		return nil
	})
}

// write runs fn in a write transaction and commits it if fn succeeds.
func (s *Store) write(fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// read runs fn in a read transaction: every query sees the same snapshot.
func (s *Store) read(fn func(tx *sql.Tx) error) error {
	tx, err := s.r.BeginTx(context.Background(), &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// querier is what *sql.Tx and *sql.DB have in common.
type querier interface {
	QueryRow(query string, args ...any) *sql.Row
}

// studyID returns the row ID of a study, or an ErrNoStudy error.
func studyID(q querier, name string) (int64, error) {
	var id int64
	err := q.QueryRow(`SELECT id FROM studies WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, check.NoStudy(name)
	}
	return id, err
}

// DeleteStudy removes a study and all its trials.
func (s *Store) DeleteStudy(name string) error {
	err := s.write(func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM studies WHERE name = ?`, name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return check.NoStudy(name)
		}
		return nil
	})
	return wrap(err, "delete study %q", name)
}

// wrap adds context to an error that is not one of the search sentinels
// (those carry their own).
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	for _, sentinel := range []error{search.ErrStudyExists, search.ErrNoStudy, search.ErrNoTrial, search.ErrTrialFinished} {
		if errors.Is(err, sentinel) {
			return err
		}
	}
	return fmt.Errorf("sqlite: "+format+": %w", append(args, err)...)
}
