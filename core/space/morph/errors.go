package morph

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a source: Line and Col count from 1, Col in
// characters (runes), Off is the byte offset.
type Pos struct {
	Off, Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Error is one problem in a .morph source. Error() renders it as
// "path:line:col: message", then the source line and a caret under the
// column.
type Error struct {
	Path string
	Line int
	Col  int
	Msg  string
	src  string // the source line, without its newline
}

func (e *Error) Error() string {
	var b strings.Builder
	path := e.Path
	if path == "" {
		path = "<input>"
	}
	fmt.Fprintf(&b, "%s:%d:%d: %s", path, e.Line, e.Col, e.Msg)
	if e.Line > 0 {
		line, col := snippet(e.src, e.Col)
		b.WriteString("\n    ")
		b.WriteString(line)
		b.WriteString("\n    ")
		for i, r := range []rune(line) {
			if i >= col-1 {
				break
			}
			if r == '\t' {
				b.WriteByte('\t')
			} else {
				b.WriteByte(' ')
			}
		}
		for i := len([]rune(line)); i < col-1; i++ {
			b.WriteByte(' ')
		}
		b.WriteByte('^')
	}
	return b.String()
}

// snippetWidth is how much of a long source line an error shows.
const snippetWidth = 120

// snippet returns the part of a source line to show under an error and the
// column of the caret in it: control characters and invalid bytes become
// '?', and a long line is cut to a window around the column.
func snippet(src string, col int) (string, int) {
	var rs []rune
	for _, r := range src {
		if r == utf8.RuneError || r < ' ' && r != '\t' || r == 0x7f {
			r = '?'
		}
		rs = append(rs, r)
	}
	if len(rs) <= snippetWidth {
		return string(rs), col
	}
	start := min(max(0, col-1-snippetWidth/2), len(rs)-snippetWidth)
	out := string(rs[start : start+snippetWidth])
	if start > 0 {
		out, col = "..."+out, col-start+3
	}
	if start+snippetWidth < len(rs) {
		out += "..."
	}
	return out, col
}

// ErrorList is every problem Parse found, sorted by position. Its Error()
// renders the first in full and counts the rest; errors.As finds the first
// *Error.
type ErrorList []*Error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	case 2:
		return l[0].Error() + "\n(and 1 more error)"
	}
	return fmt.Sprintf("%s\n(and %d more errors)", l[0].Error(), len(l)-1)
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// maxErrors bounds how many errors one Parse returns; maxCollect how many
// it collects before sorting them (the lexer and parser stop there).
const (
	maxErrors  = 10
	maxCollect = 100
)

// errs collects errors of one source.
type errs struct {
	path  string
	lines []string
	list  ErrorList
}

func newErrs(path string, src []byte) *errs {
	return &errs{path: path, lines: strings.Split(string(src), "\n")}
}

// at records an error at p, dropping exact duplicates.
func (e *errs) at(p Pos, format string, a ...any) {
	if e.full() {
		return
	}
	msg := fmt.Sprintf(format, a...)
	for _, old := range e.list {
		if old.Line == p.Line && old.Col == p.Col && old.Msg == msg {
			return
		}
	}
	line := ""
	if p.Line >= 1 && p.Line <= len(e.lines) {
		line = strings.TrimRight(e.lines[p.Line-1], "\r")
	}
	e.list = append(e.list, &Error{Path: e.path, Line: p.Line, Col: p.Col, Msg: msg, src: line})
}

func (e *errs) full() bool { return len(e.list) >= maxCollect }

// err returns the sorted list, or nil when it is empty.
func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	slices.SortStableFunc(e.list, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	if len(e.list) > maxErrors {
		e.list = e.list[:maxErrors]
	}
	return e.list
}
