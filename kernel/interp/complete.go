package interp

import (
	"fmt"
	"go/scanner"
	"go/token"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cosmos72/gomacro/ast2"

	"github.com/morphml/morphml/kernel"
	"github.com/morphml/morphml/kernel/bind"
	"github.com/morphml/morphml/kernel/display"
)

// Complete lists the completions gomacro knows for the dotted name before
// the cursor: local names, packages, their members, fields and methods.
// While a cell runs it answers nothing rather than wait.
func (e *Interp) Complete(code string, cursor int) (c kernel.Completion) {
	if e.busy.Load() {
		return c
	}
	pos := byteOffset(code, cursor)
	e.do(func() {
		head, words, _ := e.ir.CompleteWords(code[:pos], pos)
		if len(words) == 0 {
			return
		}
		seen := map[string]bool{}
		for _, w := range words {
			w = strings.TrimSuffix(w, " ")
			if !seen[w] {
				seen[w] = true
				c.Matches = append(c.Matches, w)
			}
		}
		sort.Strings(c.Matches)
		c.Start = utf8.RuneCountInString(head)
		c.End = cursor
	})
	return c
}

// Inspect shows the type (and value, for variables) of the dotted name at
// the cursor, with its documentation when it is a bound MorphML name.
func (e *Interp) Inspect(code string, cursor, detail int) (b display.Bundle, found bool) {
	name := nameAt(code, byteOffset(code, cursor))
	if name == "" || e.busy.Load() {
		return b, false
	}
	var text string
	e.do(func() {
		defer func() {
			if recover() != nil {
				found = false
			}
		}()
		c := e.ir.Comp
		form := c.Parse(name)
		if _, ok := form.(ast2.AstWithSlice); ok && form.Size() == 1 {
			form = form.Get(0)
		}
		expr, typ := c.Expr1OrType(ast2.ToExpr(form))
		switch {
		case expr != nil && expr.Const():
			text = fmt.Sprintf("const %s %v = %v", name, expr.Type, expr.Value)
		case expr != nil:
			text = fmt.Sprintf("%s %v", name, expr.Type)
		case typ != nil:
			text = fmt.Sprintf("type %s (%v)", name, typ.GoType().Underlying())
		default:
			return
		}
		found = true
	})
	doc := bind.Doc(name)
	switch {
	case doc != "" && found:
		text += "\n\n" + doc
	case doc != "":
		text, found = doc, true
	case !found:
		return b, false
	}
	return display.Bundle{Data: map[string]any{display.MIMEText: text}, Metadata: map[string]any{}}, true
}

// nameAt is the dotted identifier (a, a.b, a.b.c) around byte offset pos.
func nameAt(code string, pos int) string {
	isID := func(r rune) bool { return r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) }
	start, end := pos, pos
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(code[:start])
		if !isID(r) {
			break
		}
		start -= n
	}
	for end < len(code) {
		r, n := utf8.DecodeRuneInString(code[end:])
		if !isID(r) {
			break
		}
		end += n
	}
	return strings.Trim(code[start:end], ".")
}

// byteOffset converts a cursor in code points (what Jupyter sends) to bytes.
func byteOffset(s string, runes int) int {
	if runes <= 0 {
		return 0
	}
	i := 0
	for n := 0; i < len(s) && n < runes; n++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// IsComplete says whether a cell can run: brackets and strings must be
// closed ("incomplete" otherwise, with an indent of one tab per open
// bracket), a closing bracket without an opening one is "invalid".
func (e *Interp) IsComplete(code string) (status, indent string) {
	return isComplete(code)
}

func isComplete(code string) (status, indent string) {
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(code))
	unterminated, invalid := false, false
	s.Init(file, []byte(code), func(_ token.Position, msg string) {
		if strings.Contains(msg, "not terminated") {
			unterminated = true
		} else {
			invalid = true
		}
	}, scanner.ScanComments)
	var stack []token.Token
	last := token.ILLEGAL
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, tok)
		case token.RPAREN, token.RBRACK, token.RBRACE:
			open := map[token.Token]token.Token{token.RPAREN: token.LPAREN, token.RBRACK: token.LBRACK, token.RBRACE: token.LBRACE}[tok]
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return "invalid", ""
			}
			stack = stack[:len(stack)-1]
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // automatic semicolon
		}
		if tok != token.COMMENT {
			last = tok
		}
	}
	switch {
	case unterminated:
		return "incomplete", ""
	case invalid:
		return "invalid", ""
	case len(stack) > 0:
		return "incomplete", strings.Repeat("\t", len(stack))
	}
	// a binary operator, a comma or an assignment at the end: the next line continues
	if last.IsOperator() && last != token.RPAREN && last != token.RBRACK && last != token.RBRACE &&
		last != token.INC && last != token.DEC && last != token.SEMICOLON {
		return "incomplete", ""
	}
	return "complete", ""
}
