package interp

import (
	"context"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cosmos72/gomacro/base"
	"github.com/cosmos72/gomacro/fast"
	_ "github.com/cosmos72/gomacro/imports" // the standard library, for cells
	xr "github.com/cosmos72/gomacro/xreflect"

	"github.com/morphml/morphml/kernel"
	_ "github.com/morphml/morphml/kernel/bind" // MorphML's packages, for cells
	"github.com/morphml/morphml/kernel/display"
	"github.com/morphml/morphml/kernel/nb"
)

// Interp is a kernel.Executor on gomacro.
type Interp struct {
	ready chan struct{} // closed when the interpreter is set up
	ir    *fast.Interp
	jobs  chan func()
	busy  atomic.Bool // a cell is running
	mu    sync.Mutex  // one Execute at a time

	stderr lineFilter // gomacro's own messages
}

var _ kernel.Executor = (*Interp)(nil)

// New starts an interpreter and its goroutine; it returns before the
// interpreter is ready (about a second), methods wait for it.
func New() *Interp {
	e := &Interp{jobs: make(chan func()), ready: make(chan struct{})}
	go func() {
		for f := range e.jobs {
			f()
		}
	}()
	// Set up the interpreter in the background: the kernel answers at once,
	// the first cell waits for it.
	e.mu.Lock()
	e.jobs <- func() {
		defer close(e.ready)
		defer e.mu.Unlock()
		restore := quietStdout()
		defer restore()
		e.ir = fast.New()
		e.ir.Comp.Stdout = &e.stderr
		e.ir.Comp.Stderr = &e.stderr
		e.ir.Comp.Filepath = "cell"
		warmUp(e.ir)
	}
	return e
}

// do runs f on the interpreter goroutine and waits for it.
func (e *Interp) do(f func()) {
	done := make(chan struct{})
	e.jobs <- func() {
		defer close(done)
		f()
	}
	<-done
}

// Execute runs a cell.
func (e *Interp) Execute(ctx context.Context, code string, out kernel.Output) (b *display.Bundle, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.busy.Store(true)
	defer e.busy.Store(false)

	leave := nb.Enter(ctx, out)
	defer leave()
	e.stderr.set(out)
	defer e.stderr.set(nil)

	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-ctx.Done():
			e.ir.Interrupt(nil)
		case <-finished:
		}
	}()

	e.do(func() { b, err = e.run(ctx, code) })
	if err == nil && ctx.Err() != nil {
		// the cell ignored the interrupt but returned: report it all the same
		err = interrupted()
	}
	return b, err
}

func interrupted() *kernel.CellError {
	return &kernel.CellError{Name: "Interrupted", Value: "the cell was interrupted",
		Traceback: []string{"Interrupted: the cell was interrupted"}}
}

func (e *Interp) run(ctx context.Context, code string) (b *display.Bundle, err error) {
	ir := e.ir
	ir.Comp.Filepath = kernel.CellName(ctx)
	var expr *fast.Expr
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = compileError(code, p)
			}
		}()
		expr = ir.Compile(code)
	}()
	if err != nil || expr == nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			if sig, ok := p.(base.Signal); ok && sig == base.SigInterrupt || ctx.Err() != nil {
				err = interrupted()
				return
			}
			err = panicError(p)
		}
	}()
	vals, types := ir.RunExpr(expr)
	return render(vals, types), nil
}

// render is the bundle of the values of a cell's last expression, or nil
// when there is nothing to show. Of (v, err) with a nil err only v is shown
// (plots.History(...) shows its figure), and nothing for (int, nil), what
// fmt.Println returns.
func render(vals []xr.Value, types []xr.Type) *display.Bundle {
	var shown []any
	for i, v := range vals {
		if !v.IsValid() {
			if i < len(types) && types[i] != nil {
				shown = append(shown, nil) // a nil value of a known type
			}
			continue
		}
		if !v.CanInterface() {
			continue
		}
		shown = append(shown, v.Interface())
	}
	if len(vals) > 1 && len(types) == len(vals) && len(shown) == len(vals) {
		// (v, nil error): show v alone, except an int, which is what the
		// Print and Write functions return
		last := types[len(types)-1]
		if last != nil && last.ReflectType() == errorType && shown[len(shown)-1] == nil {
			shown = shown[:len(shown)-1]
			if len(shown) == 1 {
				if _, isInt := shown[0].(int); isInt {
					return nil
				}
			}
		}
	}
	switch len(shown) {
	case 0:
		return nil
	case 1:
		b := display.Render(shown[0])
		if len(b.Data) == 1 && len(vals) == 1 && len(types) == 1 {
			// no compiled display methods: a type declared in a cell may
			// have interpreted ones
			if ib, ok := interpretedBundle(vals[0], types[0]); ok {
				return &ib
			}
		}
		if len(b.Data) == 1 && b.Data[display.MIMEText] == "" {
			return nil
		}
		return &b
	}
	parts := make([]string, len(shown))
	for i, v := range shown {
		parts[i] = display.Text(v)
	}
	return &display.Bundle{Data: map[string]any{display.MIMEText: strings.Join(parts, ", ")}, Metadata: map[string]any{}}
}

var errorType = reflect.TypeOf((*error)(nil)).Elem()

var posRE = regexp.MustCompile(`^cell(?:\[\d+\])?:(\d+):(\d+): `)

// compileError turns what gomacro's compiler panics with into a CellError
// whose traceback shows the offending line of the cell with a caret.
func compileError(code string, p any) *kernel.CellError {
	msg := strings.TrimSpace(fmt.Sprint(p))
	// a scanner.ErrorList prints only its first error: list them all
	if el, ok := p.(interface{ Len() int }); ok && el.Len() > 1 {
		if s, ok := p.(fmt.Stringer); ok {
			msg = s.String()
		}
	}
	ce := &kernel.CellError{Name: "CompileError", Value: firstLine(msg)}
	lines := strings.Split(code, "\n")
	for _, l := range strings.Split(msg, "\n") {
		ce.Traceback = append(ce.Traceback, l)
		if m := posRE.FindStringSubmatch(l); m != nil {
			ln, _ := strconv.Atoi(m[1])
			col, _ := strconv.Atoi(m[2])
			if ln >= 1 && ln <= len(lines) {
				src := strings.ReplaceAll(lines[ln-1], "\t", "    ")
				caret := col - 1 + 3*strings.Count(lines[ln-1][:min(max(col-1, 0), len(lines[ln-1]))], "\t")
				ce.Traceback = append(ce.Traceback, "    "+src, "    "+strings.Repeat(" ", max(caret, 0))+"^")
			}
		}
	}
	return ce
}

// panicError is a panic of a running cell. Panics of compiled code (MorphML
// or the standard library) keep the compiled frames of the stack.
func panicError(p any) *kernel.CellError {
	v := fmt.Sprint(p)
	if err, ok := p.(error); ok {
		v = err.Error()
	}
	ce := &kernel.CellError{Name: "panic", Value: firstLine(v), Traceback: []string{"panic: " + v}}
	if frames := compiledFrames(debug.Stack()); len(frames) > 0 {
		ce.Traceback = append(ce.Traceback, "", "compiled code on the stack:")
		ce.Traceback = append(ce.Traceback, frames...)
	}
	return ce
}

// compiledFrames keeps the function lines of a stack that are neither the
// runtime, the interpreter nor this package.
func compiledFrames(stack []byte) []string {
	var out []string
	for _, l := range strings.Split(string(stack), "\n") {
		if l == "" || strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "goroutine ") {
			continue
		}
		for _, skip := range []string{"runtime", "reflect.", "github.com/cosmos72/gomacro", "github.com/morphml/morphml/kernel", "panic(", "sync."} {
			if strings.HasPrefix(l, skip) {
				l = ""
				break
			}
		}
		if l != "" {
			out = append(out, "  "+l)
		}
		if len(out) == 12 {
			break
		}
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// lineFilter forwards gomacro's own messages to the running cell's stderr,
// without the warnings about generic functions it cannot import and about
// names defined again (err := ... in cell after cell is how notebooks go).
type lineFilter struct {
	mu  sync.Mutex
	out kernel.Output
}

func (f *lineFilter) set(out kernel.Output) {
	f.mu.Lock()
	f.out = out
	f.mu.Unlock()
}

func (f *lineFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var keep []string
	for _, l := range strings.SplitAfter(string(p), "\n") {
		if l == "" || strings.Contains(l, "importing generic functions or types is not supported") ||
			strings.Contains(l, "warning: redefined identifier") {
			continue
		}
		keep = append(keep, l)
	}
	if f.out != nil && len(keep) > 0 {
		f.out.Stream("stderr", strings.Join(keep, ""))
	}
	return len(p), nil
}

var _ io.Writer = (*lineFilter)(nil)

// warmUp imports the packages cells use most (display and nb are then
// available without an import), so that their first import is quick and gomacro's warnings about generic functions (printed straight to
// os.Stdout) are not shown in a cell.
func warmUp(ir *fast.Interp) {
	defer func() { _ = recover() }()
	ir.Eval(`import (
	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/results"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/store/sqlite"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/data"
	"github.com/morphml/morphml/core/train/gorgonia"
	"github.com/morphml/morphml/core/train/xla"
	"github.com/morphml/morphml/plots"
	"github.com/morphml/morphml/kernel/display"
	"github.com/morphml/morphml/kernel/nb"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"
)`)
}

// Ready is closed once the interpreter is set up (the kernel captures the
// process's stdout only then: setting up prints warnings there).
func (e *Interp) Ready() <-chan struct{} { return e.ready }

// quietStdout sends os.Stdout to the null device until restore is called.
func quietStdout() (restore func()) {
	saved := os.Stdout
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return func() {}
	}
	os.Stdout = null
	return func() { os.Stdout = saved; null.Close() }
}
