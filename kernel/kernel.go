package kernel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"time"

	"github.com/morphml/morphml/kernel/wire"
)

// Config is what a kernel is made of.
type Config struct {
	Executor       Executor
	Implementation string // e.g. "morphml"
	Version        string // implementation version
	Banner         string
	Language       LanguageInfo
	HelpLinks      []HelpLink
	// CaptureStdio redirects os.Stdout and os.Stderr of the process into
	// stream messages of the running cell (what an embedded interpreter's
	// fmt.Println writes). Only one kernel per process may set it.
	CaptureStdio bool
	// InterruptGrace is how long an interrupted cell may take to return
	// before the kernel replies without it (default 1 s).
	InterruptGrace time.Duration
	// Log receives the kernel's own diagnostics (default: discarded).
	Log io.Writer
}

// HelpLink is an entry of kernel_info_reply's help_links.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// Kernel serves one connection. Create it with New and start it with Serve.
type Kernel struct {
	cfg     Config
	socks   *wire.Sockets
	session string

	execCount int
	history   []historyEntry

	mu      sync.Mutex
	running *cell // the cell now executing, or nil
	stdio   *stdio

	ready        chan struct{} // closed when the executor is ready and stdio captured
	stdinReplies chan wire.Message
	done         chan struct{}
	doneOnce     sync.Once
}

// New returns a kernel for the config.
func New(cfg Config) *Kernel {
	if cfg.InterruptGrace <= 0 {
		cfg.InterruptGrace = time.Second
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	return &Kernel{
		cfg:          cfg,
		session:      wire.NewID(),
		ready:        make(chan struct{}),
		stdinReplies: make(chan wire.Message, 1),
		done:         make(chan struct{}),
	}
}

// Run listens on the sockets of the connection info and serves until a
// shutdown_request arrives or ctx ends.
func Run(ctx context.Context, ci wire.ConnectionInfo, cfg Config) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	socks, err := wire.Listen(ctx, ci)
	if err != nil {
		return err
	}
	defer socks.Close()
	return New(cfg).Serve(ctx, socks)
}

// Serve answers requests on the sockets until shutdown or ctx ends.
func (k *Kernel) Serve(ctx context.Context, socks *wire.Sockets) error {
	k.socks = socks
	defer func() {
		k.mu.Lock()
		s := k.stdio
		k.mu.Unlock()
		if s != nil {
			s.restore()
		}
	}()
	go func() {
		if r, ok := k.cfg.Executor.(Readier); ok {
			select {
			case <-r.Ready():
			case <-ctx.Done():
				return
			}
		}
		if k.cfg.CaptureStdio {
			s, err := captureStdio(k)
			if err != nil {
				fmt.Fprintf(k.cfg.Log, "kernel: %v\n", err)
			} else {
				k.mu.Lock()
				k.stdio = s
				k.mu.Unlock()
			}
		}
		close(k.ready)
	}()
	k.publish(wire.Message{}, "status", map[string]string{"execution_state": "starting"})
	go k.loop(ctx, socks.Control, k.handleControl)
	go k.loop(ctx, socks.Stdin, func(m wire.Message) {
		if m.Header.MsgType == "input_reply" {
			select {
			case k.stdinReplies <- m:
			default: // nobody asked: drop
			}
		}
	})
	go k.loop(ctx, socks.Shell, k.handleShell)
	select {
	case <-ctx.Done():
	case <-k.done:
	}
	k.interruptRunning()
	if c, ok := k.cfg.Executor.(io.Closer); ok {
		if err := c.Close(); err != nil {
			fmt.Fprintf(k.cfg.Log, "kernel: %v\n", err)
		}
	}
	return nil
}

func (k *Kernel) stop() { k.doneOnce.Do(func() { close(k.done) }) }

// loop receives messages from a channel and handles them one by one.
func (k *Kernel) loop(ctx context.Context, ch *wire.Channel, handle func(wire.Message)) {
	for {
		m, err := ch.Recv()
		if ctx.Err() != nil {
			return
		}
		select {
		case <-k.done:
			return
		default:
		}
		if err != nil {
			fmt.Fprintf(k.cfg.Log, "kernel: %s: %v\n", ch.Name, err)
			if errors.Is(err, wire.ErrBadSignature) {
				continue
			}
			time.Sleep(10 * time.Millisecond) // a broken connection: don't spin
			continue
		}
		k.safely(m, handle)
	}
}

// safely runs a handler; a panic in it is logged, never fatal.
func (k *Kernel) safely(m wire.Message, handle func(wire.Message)) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(k.cfg.Log, "kernel: panic handling %s: %v\n%s", m.Header.MsgType, p, debug.Stack())
		}
	}()
	handle(m)
}

// publish sends a message on iopub with parent as parent header.
func (k *Kernel) publish(parent wire.Message, msgType string, content any) {
	m, err := wire.Reply(parent, msgType, k.session, content)
	if err != nil {
		fmt.Fprintf(k.cfg.Log, "kernel: %v\n", err)
		return
	}
	m.Identities = [][]byte{[]byte(msgType)} // iopub topic
	if parent.Header.MsgID == "" {
		m.Parent = []byte("{}")
	}
	if err := k.socks.IOPub.Send(m); err != nil {
		fmt.Fprintf(k.cfg.Log, "kernel: %v\n", err)
	}
}

// reply answers a request on the channel it came from.
func (k *Kernel) reply(ch *wire.Channel, req wire.Message, msgType string, content any) {
	m, err := wire.Reply(req, msgType, k.session, content)
	if err == nil {
		err = ch.Send(m)
	}
	if err != nil {
		fmt.Fprintf(k.cfg.Log, "kernel: %v\n", err)
	}
}

func (k *Kernel) handleControl(m wire.Message) {
	switch m.Header.MsgType {
	case "interrupt_request":
		k.interruptRunning()
		k.reply(k.socks.Control, m, "interrupt_reply", map[string]string{"status": "ok"})
	case "shutdown_request":
		k.shutdown(k.socks.Control, m)
	case "kernel_info_request":
		k.reply(k.socks.Control, m, "kernel_info_reply", k.kernelInfo())
	default:
		k.reply(k.socks.Control, m, replyType(m.Header.MsgType), map[string]string{"status": "error",
			"ename": "UnknownRequest", "evalue": m.Header.MsgType})
	}
}

func (k *Kernel) shutdown(ch *wire.Channel, m wire.Message) {
	var req struct {
		Restart bool `json:"restart"`
	}
	_ = m.DecodeContent(&req)
	k.interruptRunning()
	k.reply(ch, m, "shutdown_reply", map[string]any{"status": "ok", "restart": req.Restart})
	time.Sleep(20 * time.Millisecond) // let the reply leave before sockets close
	k.stop()
}

// Interrupt cancels the running cell, as an interrupt_request does (for a
// front end that sends SIGINT instead).
func (k *Kernel) Interrupt() { k.interruptRunning() }

func (k *Kernel) interruptRunning() {
	k.mu.Lock()
	c := k.running
	k.mu.Unlock()
	if c != nil {
		c.cancel()
	}
}

func replyType(req string) string {
	const suffix = "_request"
	if len(req) > len(suffix) && req[len(req)-len(suffix):] == suffix {
		return req[:len(req)-len(suffix)] + "_reply"
	}
	return req + "_reply"
}
