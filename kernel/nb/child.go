package nb

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/signal"
	"strconv"
	"sync"

	"github.com/morphml/morphml/kernel/display"
	"github.com/morphml/morphml/kernel/internal/nbpipe"
)

// A program that a %%go cell runs is started by the kernel with a pipe
// (its descriptor in $MORPHML_NB_FD): there nb sends displays through the
// pipe, writes streams to stdout and stderr, and cancels Context on SIGINT,
// which is how the kernel interrupts the program.
func init() {
	fd, err := strconv.Atoi(os.Getenv(nbpipe.Env))
	if err != nil || fd < 3 {
		return
	}
	f := os.NewFile(uintptr(fd), "morphml-nb")
	if f == nil {
		return
	}
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt)
	program = &state{ctx: ctx, sink: &pipeSink{w: f}}
}

// program is the state of a program run by a %%go cell (nil elsewhere).
var program *state

type pipeSink struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *pipeSink) send(m nbpipe.Message) {
	line, err := json.Marshal(m)
	if err != nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = p.w.Write(append(line, '\n'))
}

func (p *pipeSink) Stream(name, text string) {
	if name == "stderr" {
		_, _ = os.Stderr.WriteString(text)
		return
	}
	_, _ = os.Stdout.WriteString(text)
}

func (p *pipeSink) Display(b display.Bundle, id string, update bool) {
	p.send(nbpipe.Message{Op: "display", Data: b.Data, Metadata: b.Metadata, ID: id, Update: update})
}

func (p *pipeSink) ClearOutput(wait bool) { p.send(nbpipe.Message{Op: "clear", Wait: wait}) }

func (p *pipeSink) Input(context.Context, string, bool) (string, error) {
	return "", errors.New("nb: a %%go cell cannot read input")
}
