package wire

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

func TestSignKnownValue(t *testing.T) {
	// Reference computed with Python: hmac.new(b"secret", b"".join(parts), hashlib.sha256).hexdigest()
	s := NewSigner("secret")
	got := s.Sign([]byte(`{"a":1}`), []byte(`{}`), []byte(`{}`), []byte(`{"code":"1"}`))
	const want = "4cd721348272a9d38f52e40f18755f0c1547d1172085474a01e7af8f3442da14"
	if got != want {
		t.Errorf("signature %q, want %q", got, want)
	}
	if NewSigner("").Sign([]byte("x"), nil, nil, nil) != "" {
		t.Error("empty key must give an empty signature")
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	for _, key := range []string{"", "k3y"} {
		s := NewSigner(key)
		m := Message{
			Identities: [][]byte{[]byte("id1"), []byte("id2")},
			Header:     NewHeader("execute_request", "sess"),
			Parent:     json.RawMessage(`{"msg_id":"p"}`),
			Metadata:   json.RawMessage(`{}`),
			Content:    json.RawMessage(`{"code":"x := 1"}`),
			Buffers:    [][]byte{[]byte("buf")},
		}
		frames, err := s.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if string(frames[2]) != string(Delimiter) {
			t.Fatalf("frame 2 = %q, want the delimiter", frames[2])
		}
		got, err := s.Decode(frames)
		if err != nil {
			t.Fatalf("key %q: %v", key, err)
		}
		if got.Header != m.Header || string(got.Content) != string(m.Content) ||
			len(got.Identities) != 2 || len(got.Buffers) != 1 || got.ParentHeader().MsgID != "p" {
			t.Errorf("key %q: round trip gave %+v", key, got)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	s := NewSigner("key")
	good, _ := s.Encode(Message{Header: NewHeader("kernel_info_request", "s"), Content: json.RawMessage(`{}`)})
	tamper := func(i int, v string) [][]byte {
		f := append([][]byte(nil), good...)
		f[i] = []byte(v)
		return f
	}
	for _, tc := range []struct {
		name   string
		frames [][]byte
		bad    bool
	}{
		{"wrong signature", tamper(1, strings.Repeat("0", 64)), true},
		{"content changed", tamper(5, `{"x":1}`), true},
		{"signed with another key", func() [][]byte { f, _ := NewSigner("other").Encode(Message{Header: NewHeader("x", "s")}); return f }(), true},
		{"no delimiter", [][]byte{[]byte("a"), []byte("b")}, false},
		{"too few frames", good[:4], false},
	} {
		_, err := s.Decode(tc.frames)
		if err == nil {
			t.Errorf("%s: decoded, want an error", tc.name)
			continue
		}
		if tc.bad != errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: error %v", tc.name, err)
		}
	}
	if _, err := s.Decode(good); err != nil {
		t.Errorf("good message: %v", err)
	}
}

func TestParseConnectionInfo(t *testing.T) {
	ci, err := ParseConnectionInfo([]byte(`{"shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5,"ip":"127.0.0.1","key":"k","transport":"tcp","signature_scheme":"hmac-sha256"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := ci.Endpoint(ci.IOPubPort); got != "tcp://127.0.0.1:4" {
		t.Errorf("endpoint %q", got)
	}
	for _, bad := range []string{`{`, `{"shell_port":1}`, `{"shell_port":1,"control_port":2,"stdin_port":3,"iopub_port":4,"hb_port":5,"signature_scheme":"hmac-md5"}`} {
		if _, err := ParseConnectionInfo([]byte(bad)); err == nil {
			t.Errorf("%s: parsed, want an error", bad)
		}
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestSocketsLoopback talks to Listen'ed sockets with client sockets: a signed
// request on shell arrives, a forged one is rejected, the heartbeat echoes.
func TestSocketsLoopback(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ci := ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "secret", SignatureScheme: "hmac-sha256",
		ShellPort: freePort(t), ControlPort: freePort(t), StdinPort: freePort(t), IOPubPort: freePort(t), HBPort: freePort(t)}
	s, err := Listen(ctx, ci)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	client := zmq4.NewDealer(ctx, zmq4.WithID(zmq4.SocketIdentity("client")))
	defer client.Close()
	if err := client.Dial(ci.Endpoint(ci.ShellPort)); err != nil {
		t.Fatal(err)
	}
	signer := NewSigner(ci.Key)
	send := func(sg Signer, content string) {
		frames, _ := sg.Encode(Message{Header: NewHeader("kernel_info_request", "s"), Content: json.RawMessage(content)})
		if err := client.Send(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
	}
	send(NewSigner("forged"), `{"n":1}`)
	if _, err := s.Shell.Recv(); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("forged message: err = %v, want ErrBadSignature", err)
	}
	send(signer, `{"n":2}`)
	m, err := s.Shell.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Content) != `{"n":2}` || len(m.Identities) != 1 || string(m.Identities[0]) != "client" {
		t.Fatalf("got %+v", m)
	}
	r, _ := Reply(m, "kernel_info_reply", "k", map[string]string{"status": "ok"})
	if err := s.Shell.Send(r); err != nil {
		t.Fatal(err)
	}
	back, err := client.Recv()
	if err != nil {
		t.Fatal(err)
	}
	rm, err := signer.Decode(back.Frames)
	if err != nil || rm.Header.MsgType != "kernel_info_reply" || rm.ParentHeader().MsgID != m.Header.MsgID {
		t.Fatalf("reply %+v, %v", rm, err)
	}

	hb := zmq4.NewReq(ctx)
	defer hb.Close()
	if err := hb.Dial(ci.Endpoint(ci.HBPort)); err != nil {
		t.Fatal(err)
	}
	if err := hb.Send(zmq4.NewMsgString("ping")); err != nil {
		t.Fatal(err)
	}
	echo, err := hb.Recv()
	if err != nil || string(echo.Frames[0]) != "ping" {
		t.Fatalf("heartbeat echo %q, %v", echo.Frames, err)
	}
}
