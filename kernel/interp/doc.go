// Package interp runs notebook cells in gomacro's fast Go interpreter
// (github.com/cosmos72/gomacro/fast): values, functions and types defined in
// one cell live on in the next; MorphML's packages are compiled in and can be
// imported by cells (see package bind); the last value of a cell is rendered
// by package display.
//
// All interpreter work runs on one goroutine. A compile error becomes a
// CellError that points at the cell's line; a panic becomes a CellError and
// the interpreter lives on; an interrupt (cancelling the cell's context)
// stops interpreted loops and cancels nb.Context(), which compiled MorphML
// code watches.
//
// gomacro needs the GODEBUG setting gotypesalias=0: the main package of a
// binary that embeds it must carry the line
//
//	//go:debug gotypesalias=0
//
// which Go 1.27 no longer accepts; build such binaries with Go 1.26.
package interp
