// Package gocell runs the %%go cells of the notebook kernel: full Go
// (generics, range over ints, min and max, any package of MorphML's module
// graph), compiled by the Go toolchain rather than interpreted.
//
// A kernel session has a scratch module under the user cache directory
// (morphml-kernel/<hash>/session-*) whose go.mod is MorphML's own with
// MorphML replaced by its source tree (FindSource), so a cell builds with
// the versions and the build cache of MorphML. Each cell becomes a program:
// the top-level declarations (func, method, type, var, const) of the
// earlier %%go cells that compiled, the cell's own declarations (a name
// declared again replaces the earlier one), and the cell's statements as
// the body of main. Statements of earlier cells do not run again, and
// package-level vars are initialized anew in each program: values do not
// live on from cell to cell (keep results in a store, a file or a SQLite
// study). Imports are per cell; unused ones are dropped and the common
// packages (fmt, strings, time, ..., search, space, bench, plots, nb, ...)
// are imported when used.
//
// //line directives make the compiler and the runtime name the cell's own
// lines: cell[3]:4:6 is line 4, column 6 of the cell run as In [3]. The
// program's stdout and stderr stream into the cell; nb.Display and
// nb.NewDisplay work (package nb talks to the kernel through a pipe);
// an interrupt sends SIGINT, which cancels nb.Context(), and kills the
// program if it has not stopped 500 ms later. Interpreted values are not
// visible to %%go cells, nor the other way round.
package gocell
