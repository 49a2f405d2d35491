package display

import (
	"encoding/base64"
	"errors"
	"testing"
)

type rich struct{}

func (rich) HTML() string     { return "<b>r</b>" }
func (rich) PNG() []byte      { return []byte{0x89, 'P', 'N', 'G'} }
func (rich) String() string   { return "rich!" }
func (rich) Markdown() string { panic("broken") }

func TestRender(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
		want map[string]any
	}{
		{"int", 42, map[string]any{MIMEText: "42"}},
		{"string", "hi", map[string]any{MIMEText: `"hi"`}},
		{"nil", nil, map[string]any{MIMEText: "<nil>"}},
		{"error", errors.New("bad"), map[string]any{MIMEText: "bad"}},
		{"html wrapper", HTML("<i>x</i>"), map[string]any{MIMEText: "<HTML>", MIMEHTML: "<i>x</i>"}},
		{"methods, one panics", rich{}, map[string]any{MIMEText: "rich!", MIMEHTML: "<b>r</b>",
			MIMEPNG: base64.StdEncoding.EncodeToString([]byte{0x89, 'P', 'N', 'G'})}},
		{"empty png skipped", PNG(nil), map[string]any{MIMEText: "<PNG image, 0 bytes>"}},
	} {
		got := Render(tc.v).Data
		if len(got) != len(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
			continue
		}
		for k, w := range tc.want {
			if got[k] != w {
				t.Errorf("%s: %s = %v, want %v", tc.name, k, got[k], w)
			}
		}
	}
}
