package wire

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Channel is one socket of a kernel with signing. Send is safe for concurrent
// use; Recv must be called from one goroutine at a time.
type Channel struct {
	Name   string
	sock   zmq4.Socket
	signer Signer
	mu     sync.Mutex
}

// NewChannel wraps a socket.
func NewChannel(name string, sock zmq4.Socket, signer Signer) *Channel {
	return &Channel{Name: name, sock: sock, signer: signer}
}

// Send signs and sends a message.
func (c *Channel) Send(m Message) error {
	frames, err := c.signer.Encode(m)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sock.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		return fmt.Errorf("wire: send %s on %s: %w", m.Header.MsgType, c.Name, err)
	}
	return nil
}

// Recv waits for the next message. A message that cannot be decoded or whose
// signature is wrong gives an error (wrapping ErrBadSignature for the latter);
// the channel stays usable.
func (c *Channel) Recv() (Message, error) {
	msg, err := c.sock.Recv()
	if err != nil {
		return Message{}, fmt.Errorf("wire: recv on %s: %w", c.Name, err)
	}
	return c.signer.Decode(msg.Frames)
}

// Close closes the socket.
func (c *Channel) Close() error { return c.sock.Close() }

// Reply builds a message of type msgType answering parent: same identities,
// parent header = parent's header.
func Reply(parent Message, msgType, session string, content any) (Message, error) {
	data, err := json.Marshal(content)
	if err != nil {
		return Message{}, fmt.Errorf("wire: %s content: %w", msgType, err)
	}
	ph, err := json.Marshal(parent.Header)
	if err != nil {
		return Message{}, err
	}
	return Message{
		Identities: parent.Identities,
		Header:     NewHeader(msgType, session),
		Parent:     ph,
		Metadata:   json.RawMessage("{}"),
		Content:    data,
	}, nil
}

// Sockets are the five listening sockets of a kernel.
type Sockets struct {
	Shell, Control, Stdin, IOPub *Channel
	hb                           zmq4.Socket
	closed                       atomic.Bool
}

// Listen binds all five sockets of the connection info. The heartbeat is
// served (echoed) in its own goroutine until ctx ends or Close is called.
func Listen(ctx context.Context, ci ConnectionInfo) (*Sockets, error) {
	signer := NewSigner(ci.Key)
	s := &Sockets{}
	var opened []zmq4.Socket
	fail := func(err error) (*Sockets, error) {
		for _, o := range opened {
			o.Close()
		}
		return nil, err
	}
	open := func(name string, sock zmq4.Socket, port int) (zmq4.Socket, error) {
		if err := sock.Listen(ci.Endpoint(port)); err != nil {
			sock.Close()
			return nil, fmt.Errorf("wire: listen %s on %s: %w", name, ci.Endpoint(port), err)
		}
		opened = append(opened, sock)
		return sock, nil
	}
	type spec struct {
		name string
		sock zmq4.Socket
		port int
		dst  **Channel
	}
	for _, sp := range []spec{
		{"shell", zmq4.NewRouter(ctx), ci.ShellPort, &s.Shell},
		{"control", zmq4.NewRouter(ctx), ci.ControlPort, &s.Control},
		{"stdin", zmq4.NewRouter(ctx), ci.StdinPort, &s.Stdin},
		{"iopub", zmq4.NewPub(ctx), ci.IOPubPort, &s.IOPub},
	} {
		sock, err := open(sp.name, sp.sock, sp.port)
		if err != nil {
			return fail(err)
		}
		*sp.dst = NewChannel(sp.name, sock, signer)
	}
	hb, err := open("heartbeat", zmq4.NewRep(ctx), ci.HBPort)
	if err != nil {
		return fail(err)
	}
	s.hb = hb
	go func() {
		for {
			msg, err := hb.Recv()
			if err == nil {
				err = hb.Send(msg)
			}
			if err != nil {
				if ctx.Err() != nil || s.closed.Load() {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
	}()
	return s, nil
}

// Close closes every socket.
func (s *Sockets) Close() error {
	s.closed.Store(true)
	var first error
	for _, c := range []interface{ Close() error }{s.Shell, s.Control, s.Stdin, s.IOPub, s.hb} {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
