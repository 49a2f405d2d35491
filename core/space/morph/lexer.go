package morph

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tNumber
	tString
	tLParen
	tRParen
	tLBrack
	tRBrack
	tComma
	tEq
	tDot
	tMinus
	tPlus
)

var tokNames = [...]string{"end of file", "name", "number", "string", `"("`, `")"`, `"["`, `"]"`, `","`, `"="`, `"."`, `"-"`, `"+"`}

func (k tokKind) String() string { return tokNames[k] }

type token struct {
	kind tokKind
	pos  Pos
	text string  // identifiers: the name; strings: the decoded value; numbers: the literal
	num  float64 // numbers
}

// describe renders a token for "expected X, got Y" messages.
func (t token) describe() string {
	switch t.kind {
	case tIdent:
		return fmt.Sprintf("name %q", t.text)
	case tNumber:
		return "number " + t.text
	case tString:
		return "string " + strconv.Quote(t.text)
	}
	return t.kind.String()
}

// lexer splits a source into tokens. Errors go to errs; the lexer skips
// what it cannot read and goes on.
type lexer struct {
	src       []byte
	off       int
	line, col int
	errs      *errs
}

func newLexer(src []byte, e *errs) *lexer { return &lexer{src: src, line: 1, col: 1, errs: e} }

func (l *lexer) pos() Pos { return Pos{Off: l.off, Line: l.line, Col: l.col} }

// peek returns the rune at the current offset and its width (0 at the end).
func (l *lexer) peek() (rune, int) {
	if l.off >= len(l.src) {
		return 0, 0
	}
	r, w := utf8.DecodeRune(l.src[l.off:])
	return r, w
}

func (l *lexer) advance() rune {
	r, w := l.peek()
	l.off += w
	if r == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
	return r
}

func isLetter(r rune) bool { return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }
func isDigit(r rune) bool  { return '0' <= r && r <= '9' }

// next returns the next token.
func (l *lexer) next() token {
	for {
		r, w := l.peek()
		switch {
		case w == 0:
			return token{kind: tEOF, pos: l.pos()}
		case r == ' ' || r == '\t' || r == '\r' || r == '\n':
			l.advance()
			continue
		case r == '#':
			for r, w := l.peek(); w > 0 && r != '\n'; r, w = l.peek() {
				l.advance()
			}
			continue
		}
		p := l.pos()
		switch {
		case isLetter(r):
			start := l.off
			for r, _ := l.peek(); isLetter(r) || isDigit(r); r, _ = l.peek() {
				l.advance()
			}
			return token{kind: tIdent, pos: p, text: string(l.src[start:l.off])}
		case isDigit(r):
			return l.number(p)
		case r == '"' || r == '\'':
			return l.str(p, r)
		}
		l.advance()
		if k, ok := punct[r]; ok {
			return token{kind: k, pos: p}
		}
		switch {
		case r == utf8.RuneError && w == 1:
			l.errs.at(p, "invalid UTF-8 byte")
		case r == '.' && isDigit(l.peekRune()):
			l.errs.at(p, "a number cannot start with \".\": write 0.%s", l.digitsAhead())
		case r < ' ' || r == 0x7f:
			l.errs.at(p, "unexpected control character %U", r)
		default:
			l.errs.at(p, "unexpected character %q", r)
		}
		if l.errs.full() {
			l.off = len(l.src) // give up on the rest
		}
	}
}

var punct = map[rune]tokKind{
	'(': tLParen, ')': tRParen, '[': tLBrack, ']': tRBrack,
	',': tComma, '=': tEq, '.': tDot, '-': tMinus, '+': tPlus,
}

func (l *lexer) peekRune() rune { r, _ := l.peek(); return r }

func (l *lexer) digitsAhead() string {
	end := l.off
	for end < len(l.src) && isDigit(rune(l.src[end])) {
		end++
	}
	return string(l.src[l.off:end])
}

// number reads digits ["." digits] [("e"|"E") ["+"|"-"] digits], with
// single underscores allowed between digits.
func (l *lexer) number(p Pos) token {
	start := l.off
	digits := func() {
		for {
			r, _ := l.peek()
			if isDigit(r) {
				l.advance()
			} else if r == '_' && l.off+1 < len(l.src) && isDigit(rune(l.src[l.off+1])) && isDigit(rune(l.src[l.off-1])) {
				l.advance()
			} else {
				return
			}
		}
	}
	digits()
	if r, _ := l.peek(); r == '.' && l.off+1 < len(l.src) && isDigit(rune(l.src[l.off+1])) {
		l.advance()
		digits()
	}
	if r, _ := l.peek(); r == 'e' || r == 'E' {
		save, saveLine, saveCol := l.off, l.line, l.col
		l.advance()
		if r, _ := l.peek(); r == '+' || r == '-' {
			l.advance()
		}
		if r, _ := l.peek(); isDigit(r) {
			digits()
		} else {
			l.off, l.line, l.col = save, saveLine, saveCol
		}
	}
	// A letter or digit glued to the number makes it invalid ("3x", "1.2.3").
	bad := false
	for r, _ := l.peek(); isLetter(r) || isDigit(r) || r == '.' && l.off+1 < len(l.src) && isDigit(rune(l.src[l.off+1])); r, _ = l.peek() {
		l.advance()
		bad = true
	}
	text := string(l.src[start:l.off])
	if bad {
		l.errs.at(p, "invalid number %q", text)
		return token{kind: tNumber, pos: p, text: text}
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
	if err != nil {
		l.errs.at(p, "number %s is out of range", text)
	}
	return token{kind: tNumber, pos: p, text: text, num: v}
}

// str reads a string quoted with q on one line; escapes are \\ \" \' \n \t.
func (l *lexer) str(p Pos, q rune) token {
	l.advance()
	var b strings.Builder
	for {
		r, w := l.peek()
		if w == 0 || r == '\n' {
			l.errs.at(p, "unterminated string: missing closing %c", q)
			return token{kind: tString, pos: p, text: b.String()}
		}
		ep := l.pos()
		l.advance()
		switch {
		case r == q:
			return token{kind: tString, pos: p, text: b.String()}
		case r == '\\':
			e, w := l.peek()
			if w == 0 || e == '\n' {
				continue // reported as unterminated on the next turn
			}
			l.advance()
			switch e {
			case '\\', '"', '\'':
				b.WriteRune(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				l.errs.at(ep, "unknown escape \\%c in string (use \\\\, \\\", \\', \\n or \\t)", e)
			}
		case r == utf8.RuneError && w == 1:
			l.errs.at(ep, "invalid UTF-8 byte in string")
		default:
			b.WriteRune(r)
		}
	}
}
