// Package bind makes MorphML's packages importable by notebook cells: its
// generated files (x_*.go) register reflection tables of every exported,
// non-generic name in gomacro's import registry, and the documentation of
// those names for the kernel's inspect requests.
//
// Regenerate after changing an exported API:
//
//	go generate ./kernel/bind
//
// TestGeneratedCurrent fails when the files are stale.
package bind

//go:generate go run ./internal/cmd/bindgen -o .

import _ "github.com/morphml/morphml/core/optimizers" // registers every optimizer, for search.NewOptimizer
