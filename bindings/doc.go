// Package bindings is the narrow facade that gopy turns into the Python
// extension morphml._core. Every function takes and returns simple types
// (strings, numbers, booleans; structured data as JSON), reports errors in
// its result instead of Go errors (gopy leaks a C string per raised error
// and cannot return three values), and recovers panics, so that nothing
// the engine does can crash the Python process. The pure-Python package in
// python/morphml wraps it in the user-facing API.
package bindings
