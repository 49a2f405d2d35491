// Package examples holds the example .morph experiments, embedded so that
// `morphml run` without a file runs the default one.
package examples

import "embed"

// Files are the example experiments, by file name.
//
//go:embed *.morph
var Files embed.FS

// Default is the file `morphml run` runs when given none.
const Default = "digits.morph"
