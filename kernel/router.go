package kernel

import (
	"context"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/morphml/morphml/kernel/display"
)

// Router is an Executor that sends a cell whose first line is a cell magic,
// "%%go" say, to the Executor registered for it (Magics["go"]), with that
// line left empty (line numbers stay those of the cell), and every other
// cell to Default. Completion and inspection of a
// magic cell go to its executor, with cursors shifted past the magic line.
type Router struct {
	Default Executor
	Magics  map[string]Executor
}

var _ Executor = (*Router)(nil)

// split returns the executor of code, the code it runs and the offset (in
// runes) of that code within the cell.
func (r *Router) split(code string) (Executor, string, int) {
	trimmed := strings.TrimLeft(code, " \t\r\n")
	if !strings.HasPrefix(trimmed, "%%") {
		return r.Default, code, 0
	}
	line, rest, _ := strings.Cut(trimmed, "\n")
	name := strings.TrimSpace(strings.TrimPrefix(line, "%%"))
	if i := strings.IndexAny(name, " \t"); i >= 0 {
		name = name[:i]
	}
	ex, ok := r.Magics[name]
	if !ok {
		return nil, name, 0
	}
	// the magic line (and blank lines before it) stay as empty lines, so
	// that line numbers are those of the cell
	lines := strings.Count(code[:len(code)-len(trimmed)], "\n") + 1
	body := strings.Repeat("\n", lines) + rest
	return ex, body, utf8.RuneCountInString(code) - utf8.RuneCountInString(body)
}

func (r *Router) Execute(ctx context.Context, code string, out Output) (*display.Bundle, error) {
	ex, body, _ := r.split(code)
	if ex == nil {
		return nil, r.unknown(body)
	}
	return ex.Execute(ctx, body, out)
}

func (r *Router) unknown(name string) *CellError {
	var known []string
	for n := range r.Magics {
		known = append(known, "%%"+n)
	}
	msg := "unknown cell magic %%" + name
	if len(known) > 0 {
		msg += " (known: " + strings.Join(known, ", ") + ")"
	}
	return &CellError{Name: "UsageError", Value: msg, Traceback: []string{"UsageError: " + msg}}
}

func (r *Router) Complete(code string, cursor int) Completion {
	ex, body, off := r.split(code)
	if ex == nil || cursor < off {
		return Completion{}
	}
	c := ex.Complete(body, cursor-off)
	if c.Matches != nil {
		c.Start += off
		c.End += off
	}
	return c
}

func (r *Router) Inspect(code string, cursor, detail int) (display.Bundle, bool) {
	ex, body, off := r.split(code)
	if ex == nil || cursor < off {
		return display.Bundle{}, false
	}
	return ex.Inspect(body, cursor-off, detail)
}

func (r *Router) IsComplete(code string) (status, indent string) {
	ex, body, _ := r.split(code)
	if ex == nil {
		return "invalid", ""
	}
	return ex.IsComplete(body)
}

// Ready is the default executor's, when it has one.
func (r *Router) Ready() <-chan struct{} {
	if rd, ok := r.Default.(Readier); ok {
		return rd.Ready()
	}
	ch := make(chan struct{})
	close(ch)
	return ch
}

// Close closes the executors that are io.Closers (the kernel calls it when
// it stops).
func (r *Router) Close() error {
	var errs []error
	for _, ex := range append([]Executor{r.Default}, mapValues(r.Magics)...) {
		if c, ok := ex.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}

func mapValues(m map[string]Executor) []Executor {
	var out []Executor
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
