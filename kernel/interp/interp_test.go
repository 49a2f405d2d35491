//go:debug gotypesalias=0

package interp

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/morphml/morphml/kernel"
	"github.com/morphml/morphml/kernel/display"
)

// fakeOut records what a cell shows.
type fakeOut struct {
	mu       sync.Mutex
	streams  []string
	displays []display.Bundle
	ids      []string
	clears   int
}

func (f *fakeOut) Stream(name, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.streams = append(f.streams, name+":"+text)
}
func (f *fakeOut) Display(b display.Bundle, id string, update bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.displays = append(f.displays, b)
	f.ids = append(f.ids, id)
}
func (f *fakeOut) ClearOutput(bool) { f.clears++ }
func (f *fakeOut) Input(context.Context, string, bool) (string, error) {
	return "typed", nil
}

var shared = sync.OnceValue(New)

func exec(t *testing.T, code string) (*display.Bundle, *kernel.CellError, *fakeOut) {
	t.Helper()
	out := &fakeOut{}
	b, err := shared().Execute(context.Background(), code, out)
	if err != nil {
		ce, ok := err.(*kernel.CellError)
		if !ok {
			t.Fatalf("%q: error %T %v, want a *CellError", code, err, err)
		}
		return b, ce, out
	}
	return b, nil, out
}

func text(b *display.Bundle) string {
	if b == nil {
		return "<none>"
	}
	return b.Data[display.MIMEText].(string)
}

func TestExecuteValues(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"x := 40", "<none>"},
		{"x + 2", "42"},
		{"func double(n int) int { return 2 * n }\ndouble(x)", "80"},
		{`"go"`, `"go"`},
		{"import \"fmt\"\nfmt.Println(\"quiet\")", "<none>"}, // (n, nil error) is not shown
		{"import \"strings\"\nstrings.Repeat(\"ab\", 2)", `"abab"`},
		{"type T struct{ N int }\nT{N: x}", "{40}"},
		{"var e error\ne", "<nil>"},
		{"import \"strconv\"\nstrconv.ParseBool(\"true\")", "true"},
		{"strconv.ParseBool(\"maybe\")", `false, strconv.ParseBool: parsing "maybe": invalid syntax`},
	} {
		b, ce, _ := exec(t, tc.code)
		if ce != nil {
			t.Errorf("%q: %v", tc.code, ce.Traceback)
			continue
		}
		if got := text(b); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.code, got, tc.want)
		}
	}
}

func TestExecuteRich(t *testing.T) {
	b, ce, _ := exec(t, "type page struct{}\nfunc (page) HTML() string { return \"<b>hi</b>\" }\npage{}")
	if ce != nil {
		t.Fatal(ce.Traceback)
	}
	if b.Data[display.MIMEHTML] != "<b>hi</b>" {
		t.Errorf("bundle %v: want text/html from the interpreted HTML method", b.Data)
	}
	_, ce, out := exec(t, "nb.Display(42)")
	if ce != nil || len(out.displays) != 1 || out.displays[0].Data[display.MIMEText] != "42" {
		t.Errorf("nb.Display(42): %v, %+v", ce, out.displays)
	}
	b, ce, _ = exec(t, `nb.HTML("<i>x</i>")`)
	if ce != nil || b.Data[display.MIMEHTML] != "<i>x</i>" {
		t.Errorf("display.HTML: %v, %v", ce, b)
	}
}

func TestExecuteErrors(t *testing.T) {
	_, ce, _ := exec(t, "a := 1\nb := 2\n\nc := undefinedName + 1")
	if ce == nil || ce.Name != "CompileError" || !strings.HasPrefix(ce.Value, "cell:4:6:") {
		t.Fatalf("compile error: %+v", ce)
	}
	if !strings.Contains(strings.Join(ce.Traceback, "\n"), "c := undefinedName + 1\n         ^") {
		t.Errorf("traceback does not point at the column:\n%s", strings.Join(ce.Traceback, "\n"))
	}
	// in the kernel, the cell is named by its execution count
	_, err := shared().Execute(kernel.WithExecutionCount(context.Background(), 7), "q1 := 1\nq2 := undefinedName", &fakeOut{})
	if ce, ok := err.(*kernel.CellError); !ok || !strings.HasPrefix(ce.Value, "cell[7]:2:7:") ||
		!strings.Contains(strings.Join(ce.Traceback, "\n"), "q2 := undefinedName\n          ^") {
		t.Errorf("compile error of In [7]: %+v", err)
	}
	_, ce, _ = exec(t, `panic("boom")`)
	if ce == nil || ce.Name != "panic" || ce.Value != "boom" {
		t.Fatalf("panic: %+v", ce)
	}
	_, ce, _ = exec(t, "var s []int\ns[3]")
	if ce == nil || ce.Name != "panic" {
		t.Fatalf("index out of range: %+v", ce)
	}
	b, ce, _ := exec(t, "x")
	if ce != nil || text(b) != "40" {
		t.Errorf("after errors the interpreter must live on with its values: %v %v", text(b), ce)
	}
}

func TestInterruptLoop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := shared().Execute(ctx, "n := 0\nfor { n++ }", &fakeOut{})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("interrupt took %v", d)
	}
	if ce, ok := err.(*kernel.CellError); !ok || ce.Name != "Interrupted" {
		t.Fatalf("err = %v, want Interrupted", err)
	}
	b, ce, _ := exec(t, "n > 0")
	if ce != nil || text(b) != "true" {
		t.Errorf("after interrupt: %s %v", text(b), ce)
	}
}

func TestComplete(t *testing.T) {
	exec(t, "import \"fmt\"\nvar myVariable = 1")
	e := shared()
	c := e.Complete("fmt.Pri", 7)
	if strings.Join(c.Matches, " ") != "Print Printf Println" || c.Start != 4 || c.End != 7 {
		t.Errorf("fmt.Pri: %+v", c)
	}
	c = e.Complete("x := myVar", 10)
	if len(c.Matches) != 1 || c.Matches[0] != "myVariable" || c.Start != 5 {
		t.Errorf("myVar: %+v", c)
	}
	b, ok := e.Inspect("fmt.Println", 5, 0)
	if !ok || !strings.Contains(b.Data[display.MIMEText].(string), "func(") {
		t.Errorf("inspect fmt.Println: %v %v", ok, b.Data)
	}
	if _, ok := e.Inspect("nothingHere", 3, 0); ok {
		t.Error("inspect of an unknown name: found")
	}
}

func TestIsComplete(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"x := 1", "complete"},
		{"func f() {\n\treturn\n}", "complete"},
		{"for i := 0; i < 3; i++ {", "incomplete"},
		{"x := []int{1,\n2,", "incomplete"},
		{"s := `raw", "incomplete"},
		{"x := 1 +", "incomplete"},
		{"x := )", "invalid"},
		{"}", "invalid"},
		{"x := 1 @ 2", "invalid"},
	} {
		if got, _ := isComplete(tc.code); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.code, got, tc.want)
		}
	}
}

// TestMorphMLInCells imports the bound MorphML packages and runs a small
// NAS-Bench-201 search whose study renders as HTML.
func TestMorphMLInCells(t *testing.T) {
	cell := `import (
	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	_ "github.com/morphml/morphml/core/graph"
	_ "github.com/morphml/morphml/core/results"
	_ "github.com/morphml/morphml/core/train"
	_ "github.com/morphml/morphml/plots"
)
nb201, err := bench.LoadNB201()
if err != nil { panic(err) }
sp := space.NB201(10)
opt, err := search.NewOptimizer("random", sp, 1, nil)
if err != nil { panic(err) }
study, err := search.NewStudy(search.StudyConfig{Name: "cells", Space: sp, Optimizer: opt})
if err != nil { panic(err) }
ev, err := nb201.Evaluator("cifar10")
if err != nil { panic(err) }
err = study.Optimize(nb.Context(), search.EvaluatorObjective(ev), search.Budget{Trials: 5})
if err != nil { panic(err) }
study`
	b, ce, _ := exec(t, cell)
	if ce != nil {
		t.Fatal(strings.Join(ce.Traceback, "\n"))
	}
	if html, _ := b.Data[display.MIMEHTML].(string); !strings.Contains(html, "<table") {
		t.Errorf("study: no HTML table in %v", b.Data)
	}
	b, ce, _ = exec(t, "study.Len()")
	if ce != nil || text(b) != "5" {
		t.Errorf("study.Len(): %s %v", text(b), ce)
	}
}

func TestStartTime(t *testing.T) {
	start := time.Now()
	e := New()
	t.Logf("interp.New with warm-up: %v", time.Since(start))
	b, err := e.Execute(context.Background(), "search.Maximize", &fakeOut{})
	if err != nil || b == nil {
		t.Errorf("MorphML packages are not pre-imported: %v", err)
	}
}

func TestInspectMorphML(t *testing.T) {
	e := shared()
	for _, name := range []string{"search.NewStudy", "search.Study.Optimize", "space.NB201"} {
		b, ok := e.Inspect(name, len(name), 0)
		if !ok || !strings.Contains(b.Data[display.MIMEText].(string), strings.TrimPrefix(name[strings.LastIndex(name, ".")+1:], ".")+" ") {
			t.Errorf("inspect %s: %v %v", name, ok, b.Data)
		}
	}
}
