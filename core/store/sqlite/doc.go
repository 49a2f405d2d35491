// Package sqlite is the embedded, pure-Go store of MorphML: a study and its
// trials in one SQLite file (modernc.org/sqlite, no cgo), safe for many
// goroutines and for several processes sharing the file.
//
// The file is opened in WAL mode, so readers never wait for the writer;
// writers take the database lock when a transaction begins (BEGIN
// IMMEDIATE) and wait for it up to a busy timeout, so concurrent writers
// queue instead of failing with "database is locked". Every call that
// changes a trial is one transaction: a process killed at any point leaves
// either the old record or the new one, never half of a finished trial.
//
// The schema is normalised (studies, trials, trial_params, trial_values,
// trial_steps, trial_attrs) so that results can be read with plain SQL; see
// schema.go. NaN, which a SQLite REAL cannot hold, is stored as NULL; ±Inf
// are stored as they are; -0 comes back as 0. A schema_version table
// records the migrations applied; Open brings an older file up to date and
// refuses a newer one.
package sqlite
