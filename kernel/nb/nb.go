// Package nb is what a notebook cell imports to talk to the MorphML kernel:
// the context of the running cell (cancelled when the user interrupts it),
// explicit display of values, displays updated in place, clearing the output
// and reading input.
//
//	import "github.com/morphml/morphml/kernel/nb"
//
//	nb.Display(study)                 // show a value now (HTML, PNG, ...)
//	d := nb.NewDisplay("starting")    // a display that can be replaced
//	d.Update(fmt.Sprintf("%d trials", n))
//	study.Optimize(nb.Context(), ...) // stops when the cell is interrupted
//	nb.Optimize(study, obj, budget)   // the same, with a live progress view
//
// Outside a kernel (in a Go program or test) the functions print to stdout
// and Context returns context.Background(). In a program that a %%go cell
// runs they talk to the kernel through a pipe, and Context is cancelled
// when the cell is interrupted.
package nb

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/morphml/morphml/kernel/display"
)

// Sink receives what a cell shows; the kernel's cell output implements it.
type Sink interface {
	Stream(name, text string)
	Display(b display.Bundle, displayID string, update bool)
	ClearOutput(wait bool)
	Input(ctx context.Context, prompt string, password bool) (string, error)
}

type state struct {
	ctx  context.Context
	sink Sink
}

var current atomic.Pointer[state]

// Enter makes ctx and sink those of the running cell until the returned
// function is called. The kernel calls it around every cell.
func Enter(ctx context.Context, sink Sink) (leave func()) {
	prev := current.Swap(&state{ctx: ctx, sink: sink})
	return func() { current.Store(prev) }
}

func get() *state {
	if s := current.Load(); s != nil {
		return s
	}
	if program != nil {
		return program
	}
	return &state{ctx: context.Background()}
}

// Context is the context of the running cell: it is cancelled when the user
// interrupts the cell, and when the cell ends. Pass it to long searches.
func Context() context.Context { return get().ctx }

// Display shows v (rendered by its HTML, PNG, SVG, Markdown... methods) in
// the output of the running cell.
func Display(v any) {
	s := get()
	if s.sink == nil {
		fmt.Fprintln(os.Stdout, display.Text(v))
		return
	}
	s.sink.Display(display.Render(v), "", false)
}

// Live is a display that can be replaced in place.
type Live struct {
	id   string
	sink Sink
}

var nextID atomic.Int64

// NewDisplay shows v and returns a handle to replace it later.
func NewDisplay(v any) *Live {
	s := get()
	d := &Live{id: fmt.Sprintf("morphml-%d-%d", os.Getpid(), nextID.Add(1)), sink: s.sink}
	if d.sink == nil {
		fmt.Fprintln(os.Stdout, display.Text(v))
		return d
	}
	d.sink.Display(display.Render(v), d.id, false)
	return d
}

// Update replaces what the display shows with v.
func (d *Live) Update(v any) {
	if d.sink == nil {
		fmt.Fprintln(os.Stdout, display.Text(v))
		return
	}
	d.sink.Display(display.Render(v), d.id, true)
}

// ID is the display id (the transient display_id of the messages).
func (d *Live) ID() string { return d.id }

// String keeps a handle quiet when it is the last value of a cell.
func (d *Live) String() string { return "" }

// ClearOutput clears the output of the running cell; with wait the clearing
// happens when the next output arrives (no flicker when redrawing).
func ClearOutput(wait bool) {
	if s := get(); s.sink != nil {
		s.sink.ClearOutput(wait)
	}
}

// Input asks the user for a line of text.
func Input(prompt string) (string, error) { return input(prompt, false) }

// Password asks the user for a secret; the front end hides what is typed.
func Password(prompt string) (string, error) { return input(prompt, true) }

func input(prompt string, password bool) (string, error) {
	s := get()
	if s.sink == nil {
		return "", fmt.Errorf("nb: no kernel to read input from")
	}
	return s.sink.Input(s.ctx, prompt, password)
}

// HTML, Markdown, SVG, LaTeX and PNG wrap raw content so that it displays
// as that MIME type: nb.HTML("<b>best</b>") as the last value of a cell, or
// nb.Display(nb.PNG(data)). (They are functions because the interpreter
// cannot convert an untyped constant to a compiled named type:
// display.HTML("<b>x</b>") fails in a cell, display.HTML(s) works.)
func HTML(s string) display.HTML         { return display.HTML(s) }
func Markdown(s string) display.Markdown { return display.Markdown(s) }
func SVG(s string) display.SVG           { return display.SVG(s) }
func LaTeX(s string) display.LaTeX       { return display.LaTeX(s) }
func PNG(b []byte) display.PNG           { return display.PNG(b) }
