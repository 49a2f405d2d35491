package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Version is the messaging protocol version the kernel speaks.
const Version = "5.3"

// Delimiter separates routing identities from the signed message frames.
var Delimiter = []byte("<IDS|MSG>")

// ErrBadSignature is returned for a message whose HMAC does not match.
var ErrBadSignature = errors.New("wire: message signature does not match")

// Header is a message header (and, as raw JSON, a parent header).
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// NewHeader returns a header with a fresh id and the current time.
func NewHeader(msgType, session string) Header {
	return Header{
		MsgID:    NewID(),
		Session:  session,
		Username: "kernel",
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"),
		MsgType:  msgType,
		Version:  Version,
	}
}

// NewID returns a random UUID (version 4) string.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Message is one Jupyter message. Parent, Metadata and Content are kept as raw
// JSON so that a reply carries its request's header back byte for byte.
type Message struct {
	Identities [][]byte
	Header     Header
	Parent     json.RawMessage
	Metadata   json.RawMessage
	Content    json.RawMessage
	Buffers    [][]byte
}

// ParentHeader decodes the parent header; an empty parent gives a zero Header.
func (m Message) ParentHeader() Header {
	var h Header
	_ = json.Unmarshal(m.Parent, &h)
	return h
}

// DecodeContent unmarshals the content into v.
func (m Message) DecodeContent(v any) error {
	if len(m.Content) == 0 {
		return nil
	}
	if err := json.Unmarshal(m.Content, v); err != nil {
		return fmt.Errorf("wire: %s content: %w", m.Header.MsgType, err)
	}
	return nil
}

// Signer signs and checks messages with HMAC-SHA256. An empty key turns
// signing off, as the protocol specifies.
type Signer struct {
	key []byte
}

// NewSigner returns a Signer for the key of a connection file.
func NewSigner(key string) Signer { return Signer{key: []byte(key)} }

// Sign returns the hex HMAC of the four signed frames, or "" without a key.
func (s Signer) Sign(header, parent, metadata, content []byte) string {
	if len(s.key) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, s.key)
	mac.Write(header)
	mac.Write(parent)
	mac.Write(metadata)
	mac.Write(content)
	return hex.EncodeToString(mac.Sum(nil))
}

func orEmpty(b json.RawMessage) []byte {
	if len(b) == 0 {
		return []byte("{}")
	}
	return b
}

// Encode frames a message: identities, delimiter, signature, the four JSON
// parts and the buffers.
func (s Signer) Encode(m Message) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("wire: header: %w", err)
	}
	parent, meta, content := orEmpty(m.Parent), orEmpty(m.Metadata), orEmpty(m.Content)
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, Delimiter, []byte(s.Sign(header, parent, meta, content)), header, parent, meta, content)
	frames = append(frames, m.Buffers...)
	return frames, nil
}

// Decode parses the frames of a received message and checks its signature in
// constant time; a mismatch gives ErrBadSignature.
func (s Signer) Decode(frames [][]byte) (Message, error) {
	var m Message
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], Delimiter) {
		i++
	}
	if i == len(frames) {
		return m, errors.New("wire: no <IDS|MSG> delimiter")
	}
	if len(frames)-i < 6 {
		return m, fmt.Errorf("wire: %d frames after the delimiter, want at least 5", len(frames)-i-1)
	}
	m.Identities = frames[:i]
	sig, header, parent, meta, content := frames[i+1], frames[i+2], frames[i+3], frames[i+4], frames[i+5]
	if len(s.key) > 0 {
		want := s.Sign(header, parent, meta, content)
		if !hmac.Equal([]byte(want), bytes.ToLower(sig)) {
			return m, ErrBadSignature
		}
	}
	if err := json.Unmarshal(header, &m.Header); err != nil {
		return m, fmt.Errorf("wire: header: %w", err)
	}
	m.Parent = json.RawMessage(parent)
	m.Metadata = json.RawMessage(meta)
	m.Content = json.RawMessage(content)
	m.Buffers = frames[i+6:]
	return m, nil
}
