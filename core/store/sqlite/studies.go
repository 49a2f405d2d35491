package sqlite

import (
	"database/sql"
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/store/internal/check"
)

// CreateStudy implements search.Storage.
func (s *Store) CreateStudy(info search.StudyInfo) error {
	if err := check.Study(info); err != nil {
		return err
	}
	dirs, err := encodeDirections(info.Directions)
	if err != nil {
		return wrap(err, "create study %q", info.Name)
	}
	params, err := encodeParams(info.Params)
	if err != nil {
		return wrap(err, "create study %q", info.Name)
	}
	attrs, err := encodeAttrs(info.Attrs)
	if err != nil {
		return wrap(err, "create study %q", info.Name)
	}
	err = s.write(func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO studies (name, directions, params, optimizer, seed, source, attrs, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			info.Name, dirs, params, info.Optimizer, info.Seed, info.Source, attrs, sqlTime(info.Created))
		if isUnique(err) {
			return check.Exists(info.Name)
		}
		return err
	})
	return wrap(err, "create study %q", info.Name)
}

// isUnique reports whether err is a UNIQUE constraint violation.
func isUnique(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
}

const studyColumns = `name, directions, params, optimizer, seed, source, attrs, created`

// scanStudy reads one row of studyColumns.
func scanStudy(row interface{ Scan(...any) error }) (search.StudyInfo, error) {
	var (
		info                search.StudyInfo
		dirs, params, attrs string
		created             sql.NullInt64
	)
	if err := row.Scan(&info.Name, &dirs, &params, &info.Optimizer, &info.Seed, &info.Source, &attrs, &created); err != nil {
		return info, err
	}
	var err error
	if info.Directions, err = decodeDirections(dirs); err != nil {
		return info, err
	}
	if info.Params, err = decodeParams(params); err != nil {
		return info, err
	}
	if info.Attrs, err = decodeAttrs(attrs); err != nil {
		return info, err
	}
	info.Created = goTime(created)
	return info, nil
}

// LoadStudy implements search.Storage.
func (s *Store) LoadStudy(name string) (search.StudyInfo, error) {
	var info search.StudyInfo
	err := s.read(func(tx *sql.Tx) error {
		var err error
		info, err = scanStudy(tx.QueryRow(`SELECT `+studyColumns+` FROM studies WHERE name = ?`, name))
		if errors.Is(err, sql.ErrNoRows) {
			return check.NoStudy(name)
		}
		return err
	})
	return info, wrap(err, "load study %q", name)
}

// ListStudies implements search.Storage; studies come sorted by name.
func (s *Store) ListStudies() ([]search.StudyInfo, error) {
	var out []search.StudyInfo
	err := s.read(func(tx *sql.Tx) error {
		rows, err := tx.Query(`SELECT ` + studyColumns + ` FROM studies ORDER BY name`) // BINARY collation: byte order, as Go sorts
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			info, err := scanStudy(rows)
			if err != nil {
				return err
			}
			out = append(out, info)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap(err, "list studies")
	}
	return out, nil
}
