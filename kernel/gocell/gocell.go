package gocell

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/morphml/morphml/kernel"
	"github.com/morphml/morphml/kernel/display"
	"github.com/morphml/morphml/kernel/internal/nbpipe"
)

// Config adjusts an Executor; the zero Config finds everything itself.
type Config struct {
	Source string // MorphML's source tree (default: FindSource)
	Go     string // the go command (default: FindGo)
	Dir    string // where programs run (default: the kernel's working directory)
	// Names answers completion and inspection requests (the interpreter
	// does it well enough for Go code); nil: none.
	Names kernel.Executor
	// KillGrace is how long an interrupted program may take to stop after
	// SIGINT before it is killed (default 500 ms).
	KillGrace time.Duration
}

// Executor runs %%go cells: each is compiled with the Go toolchain, with
// the declarations of the earlier cells, into a program that runs at once.
type Executor struct {
	cfg Config

	setupOnce sync.Once
	setupErr  error
	work      string // the scratch module

	mu      sync.Mutex
	decls   []decl                  // the declarations kept so far
	imports map[string][]importSpec // the imports each cell wrote, by cell name
	sources map[string][]string     // the lines of each cell, by cell name
	anon    int                     // cells run outside a kernel
}

// decl is a declaration of an earlier cell.
type decl struct {
	cell string // "cell[3]"
	chunk
}

var _ kernel.Executor = (*Executor)(nil)

// New returns an Executor; the scratch module is made at the first cell.
func New(cfg Config) *Executor {
	if cfg.KillGrace <= 0 {
		cfg.KillGrace = 500 * time.Millisecond
	}
	if cfg.Dir == "" {
		cfg.Dir, _ = os.Getwd()
	}
	return &Executor{cfg: cfg, imports: map[string][]importSpec{}, sources: map[string][]string{}}
}

func (e *Executor) setup() error {
	e.setupOnce.Do(func() {
		if e.cfg.Go == "" {
			if e.cfg.Go, e.setupErr = FindGo(); e.setupErr != nil {
				return
			}
		}
		if e.cfg.Source == "" {
			if e.cfg.Source, e.setupErr = FindSource(); e.setupErr != nil {
				return
			}
		}
		e.work, e.setupErr = newWorkDir(e.cfg.Source)
	})
	return e.setupErr
}

// Close removes the scratch module.
func (e *Executor) Close() error {
	if e.work != "" {
		return os.RemoveAll(e.work)
	}
	return nil
}

// WorkDir is the scratch module ("" before the first cell).
func (e *Executor) WorkDir() string { return e.work }

// Execute compiles and runs a cell (without its %%go line).
func (e *Executor) Execute(ctx context.Context, code string, out kernel.Output) (*display.Bundle, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.setup(); err != nil {
		return nil, &kernel.CellError{Name: "SetupError", Value: err.Error(), Traceback: []string{"%%go: " + err.Error()}}
	}
	name := kernel.CellName(ctx)
	if name == "cell" {
		e.anon++
		name = fmt.Sprintf("cell[-%d]", e.anon)
	}
	chunks := splitCell(code)
	var (
		stmts, fresh []chunk
		written      []importSpec
		userMain     *chunk
	)
	for i, c := range chunks {
		switch {
		case c.kind == importChunk:
			specs, err := parseImports(c, name)
			if err != nil {
				return nil, e.compileError(err.Error(), name, code)
			}
			written = append(written, specs...)
		case c.kind == declChunk && len(c.keys) == 1 && c.keys[0] == "func main":
			userMain = &chunks[i]
		case c.kind == declChunk:
			fresh = append(fresh, c)
		default:
			stmts = append(stmts, c)
		}
	}
	if userMain != nil && len(stmts) > 0 {
		return nil, e.compileError(fmt.Sprintf("%s:%d:%d: a cell with func main cannot have statements outside it", name, stmts[0].line, stmts[0].col), name, code)
	}
	decls := e.merge(name, fresh)
	files := e.generate(name, decls, written, stmts, userMain)
	if err := e.writeFiles(files); err != nil {
		return nil, err
	}
	prevSource, hadSource := e.sources[name]
	e.sources[name] = strings.Split(code, "\n")
	bin := filepath.Join(e.work, "cell.bin")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if msg, err := e.build(ctx, bin); err != nil {
		if hadSource {
			e.sources[name] = prevSource
		} else {
			delete(e.sources, name)
		}
		if ctx.Err() != nil {
			return nil, interrupted()
		}
		return nil, e.compileError(msg, name, code)
	}
	// the cell compiles: its declarations are kept for the next cells
	e.decls = decls
	e.imports[name] = written
	return nil, e.runProgram(ctx, bin, out)
}

// merge returns the declarations of the earlier cells with those that the
// new ones declare again left out, then the new ones.
func (e *Executor) merge(name string, fresh []chunk) []decl {
	redeclared := map[string]bool{}
	for _, c := range fresh {
		for _, k := range c.keys {
			redeclared[k] = true
		}
	}
	var out []decl
	for _, d := range e.decls {
		keep := d.cell != name // a cell run again replaces its declarations
		for _, k := range d.keys {
			if redeclared[k] {
				keep = false
			}
		}
		if keep {
			out = append(out, d)
		}
	}
	for _, c := range fresh {
		out = append(out, decl{cell: name, chunk: c})
	}
	return out
}

func lineDirective(cell string, c chunk) string {
	return fmt.Sprintf("/*line %s:%d:%d*/", cell, c.line, c.col)
}

// generate writes the program's files: one per cell with declarations
// (cell_<n>.go) and main.go.
func (e *Executor) generate(name string, decls []decl, written []importSpec, stmts []chunk, userMain *chunk) map[string]string {
	declared := map[string]bool{}
	var cells []string
	byCell := map[string][]chunk{}
	for _, d := range decls {
		if _, ok := byCell[d.cell]; !ok {
			cells = append(cells, d.cell)
		}
		byCell[d.cell] = append(byCell[d.cell], d.chunk)
		for _, k := range d.keys {
			declared[k[strings.IndexByte(k, ' ')+1:]] = true
		}
	}
	files := map[string]string{}
	usesSearch := false
	file := func(body string, imports []importSpec) string {
		specs := fileImports(body, imports, declared)
		var b strings.Builder
		b.WriteString("package main\n\nimport (\n")
		for _, s := range specs {
			if s.path == ModulePath+"/core/search" {
				usesSearch = true
			}
			b.WriteString("\t" + s.String() + "\n")
		}
		b.WriteString(")\n")
		b.WriteString(body)
		return b.String()
	}
	for i, c := range cells {
		var body strings.Builder
		for _, ch := range byCell[c] {
			body.WriteString("\n" + lineDirective(c, ch) + ch.text + "\n")
		}
		imports := e.imports[c]
		if c == name {
			imports = written
		}
		files[fmt.Sprintf("cell_%03d.go", i)] = file(body.String(), imports)
	}
	var body strings.Builder
	if userMain != nil {
		body.WriteString("\n" + lineDirective(name, *userMain) + userMain.text + "\n")
	} else {
		body.WriteString("\nfunc main() {\n")
		for _, s := range stmts {
			body.WriteString(lineDirective(name, s) + s.text + "\n")
		}
		body.WriteString("}\n")
	}
	files["main.go"] = file(body.String(), written)
	if usesSearch {
		// search.NewOptimizer finds optimizers by name: register them all
		files["optimizers.go"] = "package main\n\nimport _ \"" + ModulePath + "/core/optimizers\"\n"
	}
	return files
}

func (e *Executor) writeFiles(files map[string]string) error {
	old, _ := filepath.Glob(filepath.Join(e.work, "*.go"))
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep {
			os.Remove(f)
		}
	}
	for n, src := range files {
		p := filepath.Join(e.work, n)
		if cur, err := os.ReadFile(p); err == nil && string(cur) == src {
			continue
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			return fmt.Errorf("%%%%go: %w", err)
		}
	}
	return nil
}

// build runs go build; on failure it returns the compiler's messages.
func (e *Executor) build(ctx context.Context, bin string) (string, error) {
	cmd := exec.CommandContext(ctx, e.cfg.Go, "build", "-o", bin, "-ldflags=-s -w", ".")
	cmd.Dir = e.work
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly -buildvcs=false")
	out, err := cmd.CombinedOutput()
	if err == nil {
		return "", nil
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.HasPrefix(l, "# ") {
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		lines = []string{err.Error()}
	}
	return strings.Join(lines, "\n"), err
}

var posRE = regexp.MustCompile(`^(cell\[-?\d+\]):(\d+):(\d+): `)

// compileError shows the compiler's messages, each followed by the line of
// the cell it points at and a caret.
func (e *Executor) compileError(msg, name, code string) *kernel.CellError {
	ce := &kernel.CellError{Name: "CompileError", Value: firstLine(msg)}
	for _, l := range strings.Split(msg, "\n") {
		ce.Traceback = append(ce.Traceback, l)
		m := posRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		lines := e.sources[m[1]]
		if m[1] == name {
			lines = strings.Split(code, "\n")
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		if ln < 1 || ln > len(lines) {
			continue
		}
		src := lines[ln-1]
		caret := col - 1 + 3*strings.Count(src[:min(max(col-1, 0), len(src))], "\t")
		ce.Traceback = append(ce.Traceback, "    "+strings.ReplaceAll(src, "\t", "    "), "    "+strings.Repeat(" ", max(caret, 0))+"^")
	}
	return ce
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func interrupted() *kernel.CellError {
	return &kernel.CellError{Name: "Interrupted", Value: "the cell was interrupted",
		Traceback: []string{"Interrupted: the %%go program was stopped"}}
}

// runProgram runs the built program, streaming its output; an interrupt
// sends it SIGINT (nb.Context() is cancelled) and kills it KillGrace later.
func (e *Executor) runProgram(ctx context.Context, bin string, out kernel.Output) error {
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	defer pr.Close()
	stdout, stderr := &streamWriter{out: out, name: "stdout"}, &streamWriter{out: out, name: "stderr"}
	cmd := exec.Command(bin)
	cmd.Dir = e.cfg.Dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.ExtraFiles = []*os.File{pw}
	cmd.Env = append(os.Environ(), nbpipe.Env+"=3")
	cmd.WaitDelay = time.Second
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		pw.Close()
		return fmt.Errorf("%%%%go: %w", err)
	}
	pw.Close()
	displays := make(chan struct{})
	go func() {
		defer close(displays)
		readDisplays(pr, out)
	}()
	exited := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			interruptProcess(cmd)
			select {
			case <-exited:
			case <-time.After(e.cfg.KillGrace):
				killProcess(cmd)
			}
		case <-exited:
		}
	}()
	err = cmd.Wait()
	close(exited)
	<-displays
	stdout.flush()
	stderr.flush()
	if ctx.Err() != nil {
		return interrupted()
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		v := "the program exited with " + ee.ProcessState.String()
		return &kernel.CellError{Name: "ExitError", Value: v, Traceback: []string{v + " (its stderr is above)"}}
	}
	return err
}

// readDisplays shows what package nb sends through the pipe.
func readDisplays(r *os.File, out kernel.Output) {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var m nbpipe.Message
			if json.Unmarshal(line, &m) == nil {
				switch m.Op {
				case "display":
					if m.Metadata == nil {
						m.Metadata = map[string]any{}
					}
					out.Display(display.Bundle{Data: m.Data, Metadata: m.Metadata}, m.ID, m.Update)
				case "clear":
					out.ClearOutput(m.Wait)
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// streamWriter sends what a program writes to the cell, whole runes only.
type streamWriter struct {
	mu   sync.Mutex
	out  kernel.Output
	name string
	rest []byte
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	buf := append(w.rest, p...)
	cut := len(buf)
	for back := 1; back <= utf8.UTFMax && back <= len(buf); back++ {
		if utf8.RuneStart(buf[len(buf)-back]) {
			if !utf8.FullRune(buf[len(buf)-back:]) {
				cut = len(buf) - back
			}
			break
		}
	}
	w.out.Stream(w.name, string(buf[:cut]))
	w.rest = append([]byte(nil), buf[cut:]...)
	return len(p), nil
}

func (w *streamWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.rest) > 0 {
		w.out.Stream(w.name, string(w.rest))
		w.rest = nil
	}
}

// Complete asks Config.Names.
func (e *Executor) Complete(code string, cursor int) kernel.Completion {
	if e.cfg.Names == nil {
		return kernel.Completion{}
	}
	return e.cfg.Names.Complete(code, cursor)
}

// Inspect asks Config.Names.
func (e *Executor) Inspect(code string, cursor, detail int) (display.Bundle, bool) {
	if e.cfg.Names == nil {
		return display.Bundle{}, false
	}
	return e.cfg.Names.Inspect(code, cursor, detail)
}

// IsComplete checks that brackets are balanced.
func (e *Executor) IsComplete(code string) (string, string) {
	st := balance(code)
	if st == "incomplete" {
		return st, "    "
	}
	return st, ""
}
