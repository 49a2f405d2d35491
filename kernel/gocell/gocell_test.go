package gocell

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/morphml/morphml/kernel"
	"github.com/morphml/morphml/kernel/display"
)

type fakeOut struct {
	mu       sync.Mutex
	streams  strings.Builder
	displays []display.Bundle
	updates  int
}

func (f *fakeOut) Stream(name, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.streams.WriteString(text)
}
func (f *fakeOut) Display(b display.Bundle, id string, update bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.displays = append(f.displays, b)
	if update {
		f.updates++
	}
}
func (f *fakeOut) ClearOutput(bool)                                    {}
func (f *fakeOut) Input(context.Context, string, bool) (string, error) { return "", nil }
func (f *fakeOut) text() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.streams.String()
}

// executor is shared by the tests: its scratch module, and the build
// cache, stay warm.
var executor = sync.OnceValue(func() *Executor { return New(Config{}) })

func TestMain(m *testing.M) {
	code := m.Run()
	executor().Close()
	os.Exit(code)
}

func run(t *testing.T, n int, code string) (*fakeOut, error) {
	t.Helper()
	if testing.Short() {
		t.Skip("go cells run the Go toolchain")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	out := &fakeOut{}
	_, err := executor().Execute(kernel.WithExecutionCount(context.Background(), n), code, out)
	return out, err
}

func TestGenericsAndRangeOverInt(t *testing.T) {
	out, err := run(t, 1, `
func Map[T, U any](xs []T, f func(T) U) []U {
	var out []U
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

for i := range 3 {
	fmt.Println(i, min(i, 1), max(i, 1))
}
fmt.Println(Map([]int{1, 2, 3}, func(i int) string { return strings.Repeat("x", i) }))`)
	if err != nil {
		t.Fatal(err)
	}
	if want := "0 0 1\n1 1 1\n2 1 2\n[x xx xxx]\n"; out.text() != want {
		t.Errorf("output %q, want %q", out.text(), want)
	}
	// declarations live on; statements do not run again
	start := time.Now()
	out, err = run(t, 2, `p := Pair[string, int]{"a", 1}
fmt.Println(p, Map([]int{4}, func(i int) int { return i * i }))`)
	if err != nil {
		t.Fatal(err)
	}
	if want := "{a 1} [16]\n"; out.text() != want {
		t.Errorf("output %q, want %q", out.text(), want)
	}
	t.Logf("warm cell: %v", time.Since(start))
}

func TestCompileErrorLine(t *testing.T) {
	_, err := run(t, 5, "x := 1\nfmt.Println(x)\n\nfmt.Println(undefinedName)")
	ce, ok := err.(*kernel.CellError)
	if !ok || ce.Name != "CompileError" || !strings.HasPrefix(ce.Value, "cell[5]:4:13: undefined: undefinedName") {
		t.Fatalf("error %#v", err)
	}
	if tb := strings.Join(ce.Traceback, "\n"); !strings.Contains(tb, "fmt.Println(undefinedName)\n                ^") {
		t.Errorf("traceback:\n%s", tb)
	}
	// a failed cell's declarations are not kept
	if _, err := run(t, 6, "func keep() int { return 1 }\nfunc broken() { undefinedName() }"); err == nil {
		t.Fatal("no error")
	}
	if _, err := run(t, 7, "fmt.Println(keep())"); err == nil || !strings.Contains(err.Error(), "cell[7]:1:13: undefined: keep") {
		t.Errorf("error %v", err)
	}
}

func TestPanicAndDisplay(t *testing.T) {
	out, err := run(t, 8, "nb.Display(nb.HTML(\"<b>hi</b>\"))\nvar s []int\n_ = s[3]")
	ce, ok := err.(*kernel.CellError)
	if !ok || ce.Name != "ExitError" {
		t.Fatalf("error %#v", err)
	}
	if !strings.Contains(out.text(), "index out of range") || !strings.Contains(out.text(), "cell[8]:3") {
		t.Errorf("stderr does not show the panic at cell[8]:3:\n%s", out.text())
	}
	if len(out.displays) != 1 || out.displays[0].Data[display.MIMEHTML] != "<b>hi</b>" {
		t.Errorf("displays %+v", out.displays)
	}
}

func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	ctx, cancel := context.WithCancel(kernel.WithExecutionCount(context.Background(), 9))
	out := &fakeOut{}
	done := make(chan error, 1)
	go func() {
		_, err := executor().Execute(ctx, "fmt.Println(\"sleeping\")\ntime.Sleep(time.Minute)", out)
		done <- err
	}()
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(out.text(), "sleeping"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the cell did not start")
		}
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if ce, ok := err.(*kernel.CellError); !ok || ce.Name != "Interrupted" {
			t.Errorf("error %v", err)
		}
		t.Logf("stopped %v after the interrupt", time.Since(start))
	case <-time.After(2 * time.Second):
		t.Fatal("the program did not stop within 2 s")
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string // kind:keys of each chunk
	}{
		{"x := 1\nfmt.Println(x)", "0: 0:"},
		{"import \"fmt\"\nfunc f() {}\ntype T struct{}\nfunc (t *T) M() {}", "2: 1:func f 1:type T 1:method T.M"},
		{"var (\n\ta, b = 1, 2\n\tc int\n)\nconst k = 1", "1:var a,var b,var c 1:const k"},
		{"func() { fmt.Println(1) }()\nfunc(x int) int { return x }(2)", "0: 0:"},
		{"func (p Pair[K, V]) String() string { return \"\" }", "1:method Pair.String"},
		{"if x {\n}; for {\n}", "0: 0:"},
	} {
		var got []string
		for _, c := range splitCell(tc.src) {
			got = append(got, strings.TrimSpace(string(rune('0'+c.kind))+":"+strings.Join(c.keys, ",")))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("splitCell(%q) = %s, want %s", tc.src, g, tc.want)
		}
	}
}

func TestIsComplete(t *testing.T) {
	e := New(Config{})
	for code, want := range map[string]string{
		"x := 1":           "complete",
		"func f() {":       "incomplete",
		"x := []int{1,\n2": "incomplete",
		"x := )":           "invalid",
		"s := `abc":        "incomplete",
	} {
		if got, _ := e.IsComplete(code); got != want {
			t.Errorf("IsComplete(%q) = %s, want %s", code, got, want)
		}
	}
}

func TestFindSource(t *testing.T) {
	t.Setenv(EnvSource, t.TempDir())
	if _, err := FindSource(); err == nil || !strings.Contains(err.Error(), "$"+EnvSource) {
		t.Errorf("a directory without go.mod: %v", err)
	}
	e := New(Config{})
	_, err := e.Execute(context.Background(), "fmt.Println(1)", &fakeOut{})
	if ce, ok := err.(*kernel.CellError); !ok || ce.Name != "SetupError" || !strings.Contains(ce.Value, EnvSource) {
		t.Errorf("a cell without a source tree: %v", err)
	}
	t.Setenv(EnvSource, "../..")
	if d, err := FindSource(); err != nil || !filepath.IsAbs(d) {
		t.Errorf("the checkout: %q, %v", d, err)
	}
}
