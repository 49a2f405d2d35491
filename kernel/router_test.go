package kernel

import (
	"context"
	"strings"
	"testing"
)

func TestRouter(t *testing.T) {
	r := &Router{Default: &echoExec{}, Magics: map[string]Executor{"go": &echoExec{}}}
	out := &recordOut{}
	b, err := r.Execute(context.Background(), "%%go\nfmt.Println(1)", out)
	if err != nil || b == nil || b.Data["text/plain"] != `"\nfmt.Println(1)"` {
		t.Errorf("%%%%go cell: %v %v", b, err)
	}
	if b, err := r.Execute(context.Background(), "x := 1", out); err != nil || b.Data["text/plain"] != `"x := 1"` {
		t.Errorf("plain cell: %v %v", b, err)
	}
	if _, err := r.Execute(context.Background(), "%%rust\nfn main() {}", out); err == nil || !strings.Contains(err.Error(), "unknown cell magic %%rust") {
		t.Errorf("unknown magic: %v", err)
	}
	// completion offsets are those of the whole cell (echoExec completes
	// from the start of the code it gets: the empty magic line)
	c := r.Complete("%%go\nfm", 7)
	if c.Start != 4 || c.End != 7 || len(c.Matches) != 1 || c.Matches[0] != "\nfm!" {
		t.Errorf("completion %+v", c)
	}
	if st, _ := r.IsComplete("%%go\nx"); st != "complete" {
		t.Errorf("IsComplete: %s", st)
	}
}

type recordOut struct{ Output }

func (recordOut) Stream(string, string) {}
