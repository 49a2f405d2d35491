package sqlite

// migrations[i] takes the schema from version i to i+1. Append, never edit:
// files in the field are at any of these versions.
//
// Conventions: times are Unix nanoseconds in UTC (NULL = the zero time);
// a REAL that is NULL is NaN (SQLite has no NaN; ±Inf are stored as such);
// state is search.State.String(); JSON columns hold what the Go types
// marshal to (see encode.go).
var migrations = [][]string{
	// 1: the first schema.
	{
		`CREATE TABLE studies (
			id         INTEGER PRIMARY KEY,
			name       TEXT    NOT NULL UNIQUE,
			directions TEXT    NOT NULL, -- JSON array of "maximize" / "minimize"
			params     TEXT    NOT NULL, -- JSON array of parameter definitions
			optimizer  TEXT    NOT NULL,
			seed       INTEGER NOT NULL,
			source     TEXT    NOT NULL,
			attrs      TEXT    NOT NULL, -- JSON object of strings
			created    INTEGER
		)`,
		`CREATE TABLE trials (
			id        INTEGER PRIMARY KEY,
			study_id  INTEGER NOT NULL REFERENCES studies (id) ON DELETE CASCADE,
			number    INTEGER NOT NULL, -- search.Trial.ID
			state     TEXT    NOT NULL CHECK (state IN ('running', 'complete', 'pruned', 'failed')),
			arch_hash TEXT    NOT NULL,
			arch      TEXT,             -- JSON of graph.Arch, NULL when none
			started   INTEGER,
			finished  INTEGER,
			UNIQUE (study_id, number)
		)`,
		`CREATE INDEX trials_arch_hash ON trials (study_id, arch_hash)`,
		`CREATE TABLE trial_params (
			trial_id INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
			idx      INTEGER NOT NULL, -- position in the point
			name     TEXT    NOT NULL, -- the study's parameter name ('' beyond them)
			value    REAL,             -- the encoded value
			label    TEXT    NOT NULL, -- the value as text: the choice of a categorical
			PRIMARY KEY (trial_id, idx)
		)`,
		`CREATE TABLE trial_values (
			trial_id  INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
			objective INTEGER NOT NULL,
			value     REAL,
			PRIMARY KEY (trial_id, objective)
		)`,
		`CREATE TABLE trial_steps (
			trial_id INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
			seq      INTEGER NOT NULL, -- order of the reports; a step may repeat
			step     INTEGER NOT NULL,
			value    REAL,
			PRIMARY KEY (trial_id, seq)
		)`,
		`CREATE TABLE trial_attrs (
			trial_id INTEGER NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
			key      TEXT    NOT NULL,
			value    TEXT    NOT NULL,
			PRIMARY KEY (trial_id, key)
		)`,
	},
}
