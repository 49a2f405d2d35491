package kernel

import (
	"context"
	"fmt"

	"github.com/morphml/morphml/kernel/display"
)

// Executor runs the cells of one notebook: state persists from one Execute
// to the next. The kernel calls its methods from one goroutine at a time,
// except that an interrupted Execute may still be running when the next
// method is called (an Executor must then wait or answer without it).
type Executor interface {
	// Execute runs a cell. It returns the bundle of the cell's value (nil
	// when there is none), or an error (a *CellError for a compile error,
	// a panic or an interrupt). ctx is cancelled on interrupt.
	Execute(ctx context.Context, code string, out Output) (*display.Bundle, error)
	// Complete lists completions of the code at cursor (a rune offset).
	Complete(code string, cursor int) Completion
	// Inspect describes the name at cursor; ok is false when nothing is found.
	Inspect(code string, cursor, detail int) (b display.Bundle, ok bool)
	// IsComplete says whether code can run as is: "complete", "incomplete"
	// (with the indent of the next line), "invalid" or "unknown".
	IsComplete(code string) (status, indent string)
}

// Output is where a running cell sends what it shows. Its methods are safe
// for concurrent use.
type Output interface {
	// Stream sends text to "stdout" or "stderr".
	Stream(name, text string)
	// Display shows a bundle; with a displayID the display can later be
	// replaced in place by calling Display again with update true.
	Display(b display.Bundle, displayID string, update bool)
	// ClearOutput clears the cell's output (when wait, at the next output).
	ClearOutput(wait bool)
	// Input asks the user for a line of text; it fails when the front end
	// does not allow stdin or the cell is interrupted.
	Input(ctx context.Context, prompt string, password bool) (string, error)
}

// Completion is the answer to a complete_request: the text from Start to End
// (rune offsets) is to be replaced by one of Matches.
type Completion struct {
	Matches    []string
	Start, End int
}

// CellError is a failed cell as Jupyter shows it.
type CellError struct {
	Name      string   // e.g. "CompileError", "panic", "Interrupted"
	Value     string   // one-line message
	Traceback []string // lines shown to the user
}

func (e *CellError) Error() string { return e.Name + ": " + e.Value }

// LanguageInfo is the language_info of kernel_info_reply.
type LanguageInfo struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	MIMEType          string `json:"mimetype"`
	FileExtension     string `json:"file_extension"`
	PygmentsLexer     string `json:"pygments_lexer,omitempty"`
	CodeMirrorMode    string `json:"codemirror_mode,omitempty"`
	NBConvertExporter string `json:"nbconvert_exporter,omitempty"`
}

// Readier is an Executor that sets itself up in the background: the kernel
// answers requests at once, but captures stdio and runs the first cell only
// once Ready is closed.
type Readier interface {
	Ready() <-chan struct{}
}

type countKey struct{}

// ExecutionCount is the execution count of the cell that ctx was given to
// (Executor.Execute's ctx), or 0 outside the kernel. Executors name cells by
// it in errors: cell[3]:4:6 is line 4, column 6 of the cell run as In [3].
func ExecutionCount(ctx context.Context) int {
	n, _ := ctx.Value(countKey{}).(int)
	return n
}

// WithExecutionCount returns ctx carrying execution count n (the kernel
// does it for every cell; tests of executors may too).
func WithExecutionCount(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, countKey{}, n)
}

// CellName is how errors name the cell that ctx was given to: "cell[3]",
// or "cell" outside the kernel.
func CellName(ctx context.Context) string {
	if n := ExecutionCount(ctx); n > 0 {
		return fmt.Sprintf("cell[%d]", n)
	}
	return "cell"
}
