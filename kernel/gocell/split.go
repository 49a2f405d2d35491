package gocell

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// A cell is split into chunks at the semicolons (written or implied by a
// newline) outside brackets: import declarations, declarations (func,
// method, type, var, const), and statements.
type chunkKind int

const (
	stmtChunk chunkKind = iota
	declChunk
	importChunk
)

type chunk struct {
	kind      chunkKind
	keys      []string // what a declaration declares: "func f", "method T.m", "type T", "var x"
	line, col int      // of its first token in the cell
	text      string
}

type tok struct {
	tok token.Token
	lit string
}

// splitCell cuts the source of a cell into chunks.
func splitCell(src string) []chunk {
	fset := token.NewFileSet()
	f := fset.AddFile("cell", -1, len(src))
	var s scanner.Scanner
	s.Init(f, []byte(src), func(token.Position, string) {}, 0)
	var (
		out   []chunk
		start = -1
		depth int
		toks  []tok
	)
	flush := func(end int) {
		if start < 0 {
			return
		}
		p := f.Position(f.Pos(start))
		c := chunk{line: p.Line, col: p.Column, text: strings.TrimRight(src[start:end], " \t\r\n;")}
		c.kind, c.keys = classify(toks)
		out = append(out, c)
		start, toks = -1, nil
	}
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			flush(len(src))
			return out
		}
		off := f.Offset(pos)
		if start < 0 {
			if t == token.SEMICOLON {
				continue
			}
			start, depth = off, 0
		}
		switch t {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth = max(depth-1, 0)
		}
		if t == token.SEMICOLON && depth == 0 {
			flush(off)
			continue
		}
		toks = append(toks, tok{t, lit})
	}
}

// classify says what the tokens of a chunk are, and what they declare.
func classify(toks []tok) (chunkKind, []string) {
	if len(toks) < 2 {
		return stmtChunk, nil
	}
	switch toks[0].tok {
	case token.IMPORT:
		return importChunk, nil
	case token.TYPE, token.VAR, token.CONST:
		return declChunk, specNames(toks[0].tok.String(), toks[1:])
	case token.FUNC:
		if toks[1].tok == token.IDENT {
			return declChunk, named("func", toks[1].lit)
		}
		if toks[1].tok != token.LPAREN {
			return stmtChunk, nil
		}
		// func (r *T) m(...) is a method; func(...) ... {...}(...) a statement
		depth, end := 0, -1
		var idents []string
		for i := 1; i < len(toks) && end < 0; i++ {
			switch toks[i].tok {
			case token.LPAREN, token.LBRACK:
				depth++
			case token.RPAREN, token.RBRACK:
				depth--
				if depth == 0 {
					end = i
				}
			case token.IDENT:
				if depth == 1 {
					idents = append(idents, toks[i].lit)
				}
			}
		}
		if end < 0 || end+2 >= len(toks) || toks[end+1].tok != token.IDENT ||
			(toks[end+2].tok != token.LPAREN && toks[end+2].tok != token.LBRACK) || len(idents) == 0 {
			return stmtChunk, nil
		}
		recv := idents[0]
		if len(idents) > 1 {
			recv = idents[1]
		}
		return declChunk, named("method", recv+"."+toks[end+1].lit)
	}
	return stmtChunk, nil
}

func named(kind, name string) []string {
	if name == "_" || strings.HasSuffix(name, "._") {
		return nil
	}
	return []string{kind + " " + name}
}

// specNames lists the names declared by the specs after type, var or const
// (one spec, or a parenthesized group).
func specNames(kind string, toks []tok) []string {
	var keys []string
	specAt := func(i int) {
		for ; i < len(toks) && toks[i].tok == token.IDENT; i += 2 {
			keys = append(keys, named(kind, toks[i].lit)...)
			if i+1 >= len(toks) || toks[i+1].tok != token.COMMA {
				return
			}
		}
	}
	if toks[0].tok != token.LPAREN {
		specAt(0)
		return keys
	}
	depth := 0
	for i, t := range toks {
		switch t.tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
			if depth == 1 {
				specAt(i + 1)
			}
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		case token.SEMICOLON:
			if depth == 1 {
				specAt(i + 1)
			}
		}
	}
	return keys
}

// importSpec is one imported package.
type importSpec struct{ name, path string }

func (s importSpec) String() string {
	if s.name != "" {
		return s.name + " " + strconv.Quote(s.path)
	}
	return strconv.Quote(s.path)
}

// localName is the name a file uses for the package.
func (s importSpec) localName() string {
	if s.name != "" {
		return s.name
	}
	for name, p := range autoImports {
		if p == s.path {
			return name
		}
	}
	base := path.Base(s.path)
	if regexp.MustCompile(`^v[0-9]+$`).MatchString(base) {
		base = path.Base(path.Dir(s.path))
	}
	base = strings.TrimPrefix(base, "go-")
	if i := strings.IndexAny(base, ".-"); i > 0 {
		base = base[:i]
	}
	return base
}

// parseImports reads the specs of an import declaration of the cell.
func parseImports(c chunk, cellName string) ([]importSpec, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", "package p\n"+c.text, parser.ImportsOnly)
	if err != nil {
		msg := err.Error()
		if el, ok := err.(scanner.ErrorList); ok && len(el) > 0 {
			e := el[0]
			line, col := c.line+e.Pos.Line-2, e.Pos.Column
			if e.Pos.Line == 2 {
				col += c.col - 1
			}
			msg = fmt.Sprintf("%s:%d:%d: %s", cellName, line, col, e.Msg)
		}
		return nil, fmt.Errorf("%s", msg)
	}
	var out []importSpec
	for _, s := range f.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		spec := importSpec{path: p}
		if s.Name != nil {
			spec.name = s.Name.Name
		}
		out = append(out, spec)
	}
	return out, nil
}

// autoImports are the packages a cell may use without importing them (as
// in interpreted cells).
var autoImports = map[string]string{
	"bufio": "bufio", "bytes": "bytes", "cmp": "cmp", "context": "context", "errors": "errors",
	"filepath": "path/filepath", "fmt": "fmt", "io": "io", "iter": "iter", "json": "encoding/json",
	"log": "log", "maps": "maps", "math": "math", "os": "os", "reflect": "reflect", "regexp": "regexp",
	"runtime": "runtime", "slices": "slices", "sort": "sort", "strconv": "strconv", "strings": "strings",
	"sync": "sync", "time": "time", "utf8": "unicode/utf8",

	"bench": ModulePath + "/core/bench", "data": ModulePath + "/core/train/data",
	"experiment": ModulePath + "/core/experiment", "graph": ModulePath + "/core/graph",
	"morph": ModulePath + "/core/space/morph", "results": ModulePath + "/core/results",
	"search": ModulePath + "/core/search", "space": ModulePath + "/core/space",
	"sqlite": ModulePath + "/core/store/sqlite", "train": ModulePath + "/core/train",
	"plots": ModulePath + "/plots", "display": ModulePath + "/kernel/display", "nb": ModulePath + "/kernel/nb",
}

// fileImports decides the imports of a generated file whose body (after
// the package clause) is body: those the cell wrote that the body uses,
// and the autoImports of names it uses but neither imports nor declares
// (declared holds the package-level names of the program).
func fileImports(body string, written []importSpec, declared map[string]bool) []importSpec {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package main\n"+body, 0)
	if err != nil {
		return written // the build reports the syntax error
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
				used[id.Name] = true
			}
		}
		return true
	})
	var out []importSpec
	have := map[string]bool{}
	for _, s := range written {
		n := s.localName()
		if n == "_" || n == "." || used[n] {
			out = append(out, s)
			have[n] = true
		}
	}
	for n := range used {
		if p, ok := autoImports[n]; ok && !have[n] && !declared[n] {
			out = append(out, importSpec{path: p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// balance says whether the brackets of src are closed ("complete"), still
// open ("incomplete") or mismatched ("invalid").
func balance(src string) string {
	fset := token.NewFileSet()
	f := fset.AddFile("cell", -1, len(src))
	var s scanner.Scanner
	bad := false
	s.Init(f, []byte(src), func(_ token.Position, msg string) {
		if !strings.Contains(msg, "not terminated") {
			bad = true
		}
	}, 0)
	var stack []token.Token
	closer := map[token.Token]token.Token{token.RPAREN: token.LPAREN, token.RBRACE: token.LBRACE, token.RBRACK: token.LBRACK}
	for {
		_, t, lit := s.Scan()
		switch t {
		case token.EOF:
			if len(stack) > 0 {
				return "incomplete"
			}
			if bad {
				return "invalid"
			}
			return "complete"
		case token.LPAREN, token.LBRACE, token.LBRACK:
			stack = append(stack, t)
		case token.RPAREN, token.RBRACE, token.RBRACK:
			if len(stack) == 0 || stack[len(stack)-1] != closer[t] {
				return "invalid"
			}
			stack = stack[:len(stack)-1]
		case token.STRING:
			if strings.HasPrefix(lit, "`") && !strings.HasSuffix(lit[1:], "`") {
				return "incomplete"
			}
		}
	}
}
