package graph

import (
	"strings"
	"testing"
)

func TestDOT(t *testing.T) {
	a := smallCNN()
	a.Nodes[1].Name = `conv "1"`
	d := DOT(a)
	for _, want := range []string{
		"digraph arch {",
		`n1 [label="conv \"1\"\nconv2d\nfilters=8 kernel=3\n[8 28 28]"];`,
		"n0 -> n1;",
		"n8 -> n9;",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("DOT lacks %q:\n%s", want, d)
		}
	}
	bad := chain(Shape{8, 4, 4}, Node{Op: OpDense, Attrs: at{"units": 2}})
	if d := DOT(bad); !strings.Contains(d, `label="invalid: node 1 (dense)`) || !strings.Contains(d, `n1 [label="dense\nunits=2"];`) {
		t.Errorf("DOT of an invalid architecture:\n%s", d)
	}
}

func TestSummaryInvalid(t *testing.T) {
	bad := chain(Shape{8, 4, 4}, Node{Op: OpReLU}, Node{Op: OpDense, Attrs: at{"units": 2}})
	s := Summary(bad)
	if !strings.Contains(s, "invalid: node 2 (dense): input shape [8 4 4] is not a vector") || !strings.Contains(s, "relu") {
		t.Errorf("Summary:\n%s", s)
	}
	if Summary(nil) == "" {
		t.Error("empty summary of nil")
	}
}

func TestGroup(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := group(in); got != want {
			t.Errorf("group(%d) = %q, want %q", in, got, want)
		}
	}
}
