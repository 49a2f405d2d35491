package display

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"strconv"
)

// MIME types of a bundle.
const (
	MIMEText     = "text/plain"
	MIMEHTML     = "text/html"
	MIMEMarkdown = "text/markdown"
	MIMESVG      = "image/svg+xml"
	MIMEPNG      = "image/png"
	MIMEJPEG     = "image/jpeg"
	MIMELaTeX    = "text/latex"
	MIMEJSON     = "application/json"
)

// Bundle is the data and metadata of a display_data or execute_result message:
// MIME type -> content (binary images are base64 strings, as the protocol wants).
type Bundle struct {
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

// The methods Render looks for.
type (
	HTMLer     interface{ HTML() string }
	Markdowner interface{ Markdown() string }
	SVGer      interface{ SVG() string }
	PNGer      interface{ PNG() []byte }
	JPEGer     interface{ JPEG() []byte }
	LaTeXer    interface{ LaTeX() string }
	JSONer     interface{ JSON() any }
	// Bundler gives full control: its bundle is used as is (text/plain is added
	// when missing).
	Bundler interface{ Bundle() Bundle }
)

// Render returns the MIME bundle of v: one entry for each display method v
// has, and text/plain always. A method that panics or returns nothing is
// skipped.
func Render(v any) Bundle {
	b := Bundle{Data: map[string]any{}, Metadata: map[string]any{}}
	if bb, ok := v.(Bundler); ok {
		if got, ok := try(func() Bundle { return bb.Bundle() }); ok {
			for k, x := range got.Data {
				b.Data[k] = x
			}
			for k, x := range got.Metadata {
				b.Metadata[k] = x
			}
		}
	}
	addText := func(mime string, f func() string) {
		if s, ok := try(f); ok && s != "" {
			b.Data[mime] = s
		}
	}
	addBytes := func(mime string, f func() []byte) {
		if p, ok := try(f); ok && len(p) > 0 {
			b.Data[mime] = base64.StdEncoding.EncodeToString(p)
		}
	}
	if x, ok := v.(HTMLer); ok {
		addText(MIMEHTML, x.HTML)
	}
	if x, ok := v.(Markdowner); ok {
		addText(MIMEMarkdown, x.Markdown)
	}
	if x, ok := v.(SVGer); ok {
		addText(MIMESVG, x.SVG)
	}
	if x, ok := v.(PNGer); ok {
		addBytes(MIMEPNG, x.PNG)
	}
	if x, ok := v.(JPEGer); ok {
		addBytes(MIMEJPEG, x.JPEG)
	}
	if x, ok := v.(LaTeXer); ok {
		addText(MIMELaTeX, x.LaTeX)
	}
	if x, ok := v.(JSONer); ok {
		if j, ok := try(x.JSON); ok && j != nil {
			b.Data[MIMEJSON] = j
		}
	}
	if _, ok := b.Data[MIMEText]; !ok {
		b.Data[MIMEText] = plainFor(v, b)
	}
	return b
}

// plainFor is the text/plain of a value with richer forms: its String
// method, else its Markdown, else its type name (a struct dump of a study
// or a figure helps nobody).
func plainFor(v any, b Bundle) string {
	switch v.(type) {
	case fmt.Stringer, error, HTML, Markdown, SVG, PNG, JPEG:
		return Text(v)
	}
	if md, ok := b.Data[MIMEMarkdown].(string); ok {
		return md
	}
	if len(b.Data) > 0 {
		return fmt.Sprintf("<%T>", v)
	}
	return Text(v)
}

// Text is the text/plain form of a value: strings quoted as Go literals,
// the wrapper types of this package by a short description, everything else
// as fmt's %v.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case string:
		return strconv.Quote(x)
	case HTML:
		return "<HTML>"
	case Markdown:
		return string(x)
	case SVG:
		return "<SVG image>"
	case PNG:
		return fmt.Sprintf("<PNG image, %d bytes>", len(x))
	case JPEG:
		return fmt.Sprintf("<JPEG image, %d bytes>", len(x))
	case error:
		return x.Error()
	}
	s, ok := try(func() string { return fmt.Sprintf("%v", v) })
	if !ok {
		return fmt.Sprintf("<%s>", reflect.TypeOf(v))
	}
	return s
}

// try calls f and reports whether it returned without panicking.
func try[T any](f func() T) (v T, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return f(), true
}

// Wrapper types: convert raw content to one of these to display it as that
// MIME type, e.g. display.HTML("<b>hi</b>").
type (
	HTML     string
	Markdown string
	SVG      string
	LaTeX    string
	PNG      []byte
	JPEG     []byte
)

func (h HTML) HTML() string         { return string(h) }
func (m Markdown) Markdown() string { return string(m) }
func (s SVG) SVG() string           { return string(s) }
func (l LaTeX) LaTeX() string       { return string(l) }
func (p PNG) PNG() []byte           { return p }
func (j JPEG) JPEG() []byte         { return j }
