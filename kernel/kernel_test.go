package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/morphml/morphml/kernel/display"
	"github.com/morphml/morphml/kernel/wire"
)

// echoExec is an Executor for dispatch tests: "sleep" blocks until
// interrupted, "ignore" blocks for good, "fail" fails, anything else is
// echoed to stdout and returned as the value.
type echoExec struct{ release chan struct{} }

func (e *echoExec) Execute(ctx context.Context, code string, out Output) (*display.Bundle, error) {
	switch code {
	case "sleep":
		<-ctx.Done()
		return nil, &CellError{Name: "Interrupted", Value: "stopped"}
	case "ignore":
		<-e.release
		return nil, nil
	case "fail":
		return nil, &CellError{Name: "panic", Value: "boom", Traceback: []string{"panic: boom"}}
	}
	out.Stream("stdout", "echo "+code)
	b := display.Render(code)
	return &b, nil
}
func (e *echoExec) Complete(code string, cursor int) Completion {
	return Completion{Matches: []string{code + "!"}, Start: 0, End: cursor}
}
func (e *echoExec) Inspect(code string, cursor, detail int) (display.Bundle, bool) {
	return display.Render("doc of " + code), true
}
func (e *echoExec) IsComplete(code string) (string, string) { return "complete", "" }

type client struct {
	t                     *testing.T
	shell, control, iopub zmq4.Socket
	signer                wire.Signer
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func startKernel(t *testing.T, ex Executor) *client {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ci := wire.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "k", SignatureScheme: "hmac-sha256",
		ShellPort: freePort(t), ControlPort: freePort(t), StdinPort: freePort(t), IOPubPort: freePort(t), HBPort: freePort(t)}
	go Run(ctx, ci, Config{Executor: ex, Implementation: "test", Language: LanguageInfo{Name: "go"}, InterruptGrace: 300 * time.Millisecond})
	c := &client{t: t, signer: wire.NewSigner(ci.Key)}
	c.shell = zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("c")))
	c.control = zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("c")))
	c.iopub = zmq4.NewSub(ctx)
	time.Sleep(50 * time.Millisecond)
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, ci.ShellPort}, {c.control, ci.ControlPort}, {c.iopub, ci.IOPubPort}} {
		if err := d.s.Dial(ci.Endpoint(d.port)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the subscription reach the publisher
	return c
}

func (c *client) send(s zmq4.Socket, msgType string, content any) string {
	data, _ := json.Marshal(content)
	m := wire.Message{Header: wire.NewHeader(msgType, "client"), Content: data}
	frames, _ := c.signer.Encode(m)
	if err := s.Send(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
	return m.Header.MsgID
}

func (c *client) recv(s zmq4.Socket) wire.Message {
	c.t.Helper()
	done := make(chan wire.Message, 1)
	go func() {
		msg, err := s.Recv()
		if err != nil {
			return
		}
		m, err := c.signer.Decode(msg.Frames)
		if err == nil {
			done <- m
		}
	}()
	select {
	case m := <-done:
		return m
	case <-time.After(5 * time.Second):
		c.t.Fatal("no message within 5s")
	}
	return wire.Message{}
}

// iopubUntilIdle returns the iopub message types for request id, up to idle.
func (c *client) iopubUntilIdle(id string) []string {
	var types []string
	for {
		m := c.recv(c.iopub)
		if m.ParentHeader().MsgID != id {
			continue
		}
		typ := m.Header.MsgType
		if typ == "status" {
			var st struct {
				ExecutionState string `json:"execution_state"`
			}
			_ = m.DecodeContent(&st)
			typ += ":" + st.ExecutionState
		}
		types = append(types, typ)
		if typ == "status:idle" {
			return types
		}
	}
}

func TestExecuteOrdering(t *testing.T) {
	c := startKernel(t, &echoExec{})
	id := c.send(c.shell, "execute_request", map[string]any{"code": "hi", "silent": false})
	reply := c.recv(c.shell)
	var rc struct {
		Status         string `json:"status"`
		ExecutionCount int    `json:"execution_count"`
	}
	_ = reply.DecodeContent(&rc)
	if reply.Header.MsgType != "execute_reply" || rc.Status != "ok" || rc.ExecutionCount != 1 || reply.ParentHeader().MsgID != id {
		t.Fatalf("reply %s %s", reply.Header.MsgType, reply.Content)
	}
	got := strings.Join(c.iopubUntilIdle(id), " ")
	if want := "status:busy execute_input stream execute_result status:idle"; got != want {
		t.Errorf("iopub: %s\nwant   %s", got, want)
	}

	id = c.send(c.shell, "execute_request", map[string]any{"code": "fail"})
	reply = c.recv(c.shell)
	if !strings.Contains(string(reply.Content), `"ename":"panic"`) || !strings.Contains(string(reply.Content), `"traceback":["panic: boom"]`) {
		t.Errorf("error reply %s", reply.Content)
	}
	if got := strings.Join(c.iopubUntilIdle(id), " "); got != "status:busy execute_input error status:idle" {
		t.Errorf("iopub of a failing cell: %s", got)
	}

	for _, tc := range []struct{ req, reply, want string }{
		{"kernel_info_request", "kernel_info_reply", `"protocol_version":"5.3"`},
		{"complete_request", "complete_reply", `"matches":["fm!"]`},
		{"inspect_request", "inspect_reply", `"found":true`},
		{"is_complete_request", "is_complete_reply", `"status":"complete"`},
		{"comm_info_request", "comm_info_reply", `"comms":{}`},
		{"history_request", "history_reply", `[1,1,"hi"]`},
	} {
		c.send(c.shell, tc.req, map[string]any{"code": "fm", "cursor_pos": 2, "hist_access_type": "tail", "n": 10})
		r := c.recv(c.shell)
		if r.Header.MsgType != tc.reply || !strings.Contains(string(r.Content), tc.want) {
			t.Errorf("%s: %s %s, want %s", tc.req, r.Header.MsgType, r.Content, tc.want)
		}
	}
}

func TestBadSignatureIgnored(t *testing.T) {
	c := startKernel(t, &echoExec{})
	forged := c.signer
	c.signer = wire.NewSigner("forged")
	c.send(c.shell, "kernel_info_request", map[string]any{})
	c.signer = forged
	id := c.send(c.shell, "kernel_info_request", map[string]any{})
	if r := c.recv(c.shell); r.ParentHeader().MsgID != id {
		t.Errorf("the first reply answers %s, not the signed request %s", r.ParentHeader().MsgID, id)
	}
}

func TestInterruptWhileRunning(t *testing.T) {
	for _, code := range []string{"sleep", "ignore"} {
		t.Run(code, func(t *testing.T) {
			ex := &echoExec{release: make(chan struct{})}
			defer close(ex.release)
			c := startKernel(t, ex)
			c.send(c.shell, "execute_request", map[string]any{"code": code})
			time.Sleep(100 * time.Millisecond)
			start := time.Now()
			c.send(c.control, "interrupt_request", map[string]any{})
			if r := c.recv(c.control); r.Header.MsgType != "interrupt_reply" {
				t.Fatalf("control answered %s", r.Header.MsgType)
			}
			r := c.recv(c.shell)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("execute_reply %v after the interrupt", d)
			}
			if !strings.Contains(string(r.Content), `"status":"error"`) {
				t.Errorf("reply %s", r.Content)
			}
		})
	}
}

func TestShutdown(t *testing.T) {
	c := startKernel(t, &echoExec{})
	c.send(c.control, "shutdown_request", map[string]any{"restart": false})
	r := c.recv(c.control)
	if r.Header.MsgType != "shutdown_reply" || !strings.Contains(string(r.Content), `"restart":false`) {
		t.Errorf("%s %s", r.Header.MsgType, r.Content)
	}
}

func TestHelpers(t *testing.T) {
	for _, tc := range []struct {
		code, name string
		ok         bool
	}{{"?search.Study", "search.Study", true}, {"fmt.Println?", "fmt.Println", true}, {"x := 1", "", false}, {"?", "", false}} {
		if n, ok := helpRequest(tc.code); n != tc.name || ok != tc.ok {
			t.Errorf("helpRequest(%q) = %q, %v", tc.code, n, ok)
		}
	}
	re := globRegexp("1?2*")
	for s, want := range map[string]bool{"1+2": true, "1+2+3": true, "1 + 2": false, "x1+2": false} {
		if re.MatchString(s) != want {
			t.Errorf("glob 1?2* on %q: %v", s, !want)
		}
	}
	if replyType("kernel_info_request") != "kernel_info_reply" {
		t.Error(replyType("kernel_info_request"))
	}
	_ = fmt.Sprint()
}
