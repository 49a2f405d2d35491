package kernel

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// stdio replaces os.Stdout and os.Stderr with pipes whose text goes to the
// running cell as stream messages. flush makes sure that everything written
// before it was sent: it writes a marker into each pipe and waits until the
// reader has passed it.
type stdio struct {
	origOut, origErr *os.File
	out, err         *pump
}

type pump struct {
	name    string
	w       *os.File
	r       *os.File
	target  *atomic.Pointer[cell]
	marks   chan struct{}
	closed  chan struct{}
	writeMu sync.Mutex
}

// flushMark is written into a pipe to find where the output of a cell ends.
var flushMark = []byte("\x00\x1bmorphml-kernel-flush\x1b\x00")

func captureStdio(k *Kernel) (*stdio, error) {
	s := &stdio{origOut: os.Stdout, origErr: os.Stderr}
	var target atomic.Pointer[cell]
	for _, p := range []**pump{&s.out, &s.err} {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, fmt.Errorf("kernel: capture stdio: %w", err)
		}
		*p = &pump{r: r, w: w, target: &target, marks: make(chan struct{}, 16), closed: make(chan struct{})}
	}
	s.out.name, s.err.name = "stdout", "stderr"
	os.Stdout, os.Stderr = s.out.w, s.err.w
	go s.out.run()
	go s.err.run()
	return s, nil
}

// attach sends what is written from now on to c.
func (s *stdio) attach(c *cell) { s.out.target.Store(c) }

// flush waits (at most a second) until all text written so far was sent.
func (s *stdio) flush() {
	for _, p := range []*pump{s.out, s.err} {
		p.writeMu.Lock()
		_, err := p.w.Write(flushMark)
		p.writeMu.Unlock()
		if err != nil {
			continue
		}
		select {
		case <-p.marks:
		case <-p.closed:
		case <-time.After(time.Second):
		}
	}
}

func (s *stdio) restore() {
	os.Stdout, os.Stderr = s.origOut, s.origErr
	s.out.w.Close()
	s.err.w.Close()
}

func (p *pump) run() {
	defer close(p.closed)
	buf := make([]byte, 0, 64<<10)
	chunk := make([]byte, 32<<10)
	for {
		n, err := p.r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		for {
			i := bytes.Index(buf, flushMark)
			if i < 0 {
				break
			}
			p.send(buf[:i])
			buf = append(buf[:0], buf[i+len(flushMark):]...)
			select {
			case p.marks <- struct{}{}:
			default:
			}
		}
		// keep a possible partial marker and an incomplete UTF-8 rune for later
		keep := partialSuffix(buf, flushMark)
		cut := len(buf) - keep
		for back := 0; back < utf8.UTFMax && cut-back > 0; back++ {
			if utf8.RuneStart(buf[cut-back-1]) {
				if !utf8.FullRune(buf[cut-back-1 : cut]) {
					cut = cut - back - 1
				}
				break
			}
		}
		p.send(buf[:cut])
		buf = append(buf[:0], buf[cut:]...)
		if err != nil {
			p.send(buf)
			return
		}
	}
}

func (p *pump) send(b []byte) {
	if len(b) == 0 {
		return
	}
	if c := p.target.Load(); c != nil {
		c.Stream(p.name, string(b))
	}
}

// partialSuffix is the length of the longest suffix of b that is a proper
// prefix of mark.
func partialSuffix(b, mark []byte) int {
	for n := min(len(mark)-1, len(b)); n > 0; n-- {
		if bytes.HasSuffix(b, mark[:n]) {
			return n
		}
	}
	return 0
}
