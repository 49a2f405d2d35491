// Package store persists studies and their trials behind the
// search.Storage interface.
//
// Two backends implement it: NewMemory, an in-memory twin for tests and
// throw-away studies, and the sqlite subpackage, the embedded default that
// keeps a study in one file so an interrupted run can be resumed. A
// PostgreSQL backend for many machines follows the same contract. The
// storetest subpackage holds the one conformance suite every backend runs,
// as Optuna's storage tests do.
//
// The contract, beyond the search.Storage doc comments:
//
//   - StartTrial records a trial's params, architecture, arch hash, attrs and
//     start time with State Running; a running trial has no values, curve
//     or finish time. Starting a running trial again replaces that record
//     and clears its curve (a resumed run re-claims it).
//   - FinishTrial sets state, values, curve, attrs and finish time, exactly
//     once (first writer wins). An empty t.Curve keeps the steps already
//     sent with Report. Params and architecture stay as StartTrial wrote
//     them.
//   - Values may be NaN or ±Inf and come back as such (a negative zero may
//     come back as 0); times come back in UTC with nanoseconds, and must lie
//     in the years 1678 to 2262; empty slices and maps come back nil.
//   - Stores hand out copies: changing a trial after storing it, or one
//     returned by Trials, changes nothing stored.
package store
