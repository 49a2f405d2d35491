package morph

// valKind is the type of a value in the syntax tree.
type valKind int

const (
	vNum valKind = iota
	vStr
	vBool
	vList
	vCall
)

var valNames = [...]string{"a number", "a string", "a boolean", "a list", "a call"}

func (k valKind) String() string { return valNames[k] }

// value is a literal, a list or a call.
type value struct {
	kind valKind
	pos  Pos
	num  float64 // vNum
	text string  // vNum: the literal; vStr: the string
	b    bool    // vBool
	list []*value
	call *call
}

// call is Name(args) or Qual.Name(args).
type call struct {
	pos     Pos    // where the call starts
	name    string // the full name, "Layer.conv2d"
	qual    string // "Layer", or "" for an unqualified name
	member  string // "conv2d", or the whole name when unqualified
	memPos  Pos    // where member starts
	args    []*arg
	closing Pos // the ")"
}

// arg is one argument; name is "" for a positional one.
type arg struct {
	name    string
	namePos Pos
	val     *value
}

// maxDepth bounds the nesting of lists and calls.
const maxDepth = 64

type parser struct {
	lex   *lexer
	tok   token
	errs  *errs
	depth int
	// pushback, when set, is the token next() returns before reading on.
	pushback *token
}

// bail is panicked with inside the parser to stop at the first syntax
// error; parse recovers it.
type bail struct{}

// parse reads the statements of a source. It stops at the first syntax
// error (the statements read so far are returned with it).
func parse(src []byte, e *errs) (stmts []*call) {
	p := &parser{lex: newLexer(src, e), errs: e}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bail); !ok {
				panic(r)
			}
		}
	}()
	p.next()
	for p.tok.kind != tEOF {
		if p.tok.kind != tIdent {
			p.fail(p.tok.pos, "expected a statement such as SearchSpace(...), got %s", p.tok.describe())
		}
		stmts = append(stmts, p.call())
	}
	return stmts
}

func (p *parser) next() {
	if p.pushback != nil {
		p.tok, p.pushback = *p.pushback, nil
		return
	}
	p.tok = p.lex.next()
}

// fail reports a syntax error and stops parsing. After an error of the
// lexer (an unterminated string, a stray character), the parser's error
// is most likely its consequence and is not reported.
func (p *parser) fail(pos Pos, format string, a ...any) {
	if len(p.errs.list) == 0 {
		p.errs.at(pos, format, a...)
	}
	panic(bail{})
}

func (p *parser) enter(pos Pos) {
	p.depth++
	if p.depth > maxDepth {
		p.fail(pos, "lists and calls are nested too deeply (more than %d levels)", maxDepth)
	}
}

// call parses name ["." name] "(" [args] ")"; the current token is the
// first name.
func (p *parser) call() *call {
	c := &call{pos: p.tok.pos, name: p.tok.text, member: p.tok.text, memPos: p.tok.pos}
	p.enter(c.pos)
	defer func() { p.depth-- }()
	p.next()
	if p.tok.kind == tDot {
		p.next()
		if p.tok.kind != tIdent {
			p.fail(p.tok.pos, "expected a name after %q, got %s", c.name+".", p.tok.describe())
		}
		c.qual, c.member, c.memPos = c.name, p.tok.text, p.tok.pos
		c.name += "." + p.tok.text
		p.next()
	}
	if p.tok.kind != tLParen {
		if c.qual == "" && (c.name == "true" || c.name == "false" || c.name == "True" || c.name == "False") {
			p.fail(c.pos, "expected a statement such as SearchSpace(...), got %s", c.name)
		}
		p.fail(p.tok.pos, "expected \"(\" after %s, got %s", c.name, p.tok.describe())
	}
	open := p.tok.pos
	p.next()
	named := false
	for p.tok.kind != tRParen {
		if p.tok.kind == tEOF {
			p.fail(open, "unterminated argument list of %s: missing \")\"", c.name)
		}
		a := &arg{namePos: p.tok.pos}
		if p.tok.kind == tIdent {
			// name "=" value, or a value starting with a name (a call or a boolean).
			save := p.tok
			p.next()
			if p.tok.kind == tEq {
				a.name = save.text
				p.next()
			} else {
				a.val = p.afterName(save)
			}
		}
		if a.val == nil {
			a.val = p.value()
		}
		if a.name != "" {
			for _, old := range c.args {
				if old.name == a.name {
					p.errs.at(a.namePos, "argument %q is given twice", a.name)
				}
			}
			named = true
		} else if named {
			p.errs.at(a.val.pos, "a positional argument cannot follow a named one")
		}
		c.args = append(c.args, a)
		switch p.tok.kind {
		case tComma:
			p.next()
		case tRParen:
		case tEOF:
			p.fail(open, "unterminated argument list of %s: missing \")\"", c.name)
		default:
			p.fail(p.tok.pos, "expected \",\" or \")\" after an argument of %s, got %s", c.name, p.tok.describe())
		}
	}
	c.closing = p.tok.pos
	p.next()
	return c
}

// value parses a number, string, boolean, list or call.
func (p *parser) value() *value {
	t := p.tok
	switch t.kind {
	case tNumber:
		p.next()
		return &value{kind: vNum, pos: t.pos, num: t.num, text: t.text}
	case tMinus, tPlus:
		p.next()
		if p.tok.kind != tNumber {
			p.fail(p.tok.pos, "expected a number after %s, got %s", t.kind, p.tok.describe())
		}
		n := p.tok
		p.next()
		if t.kind == tMinus {
			return &value{kind: vNum, pos: t.pos, num: -n.num, text: "-" + n.text}
		}
		return &value{kind: vNum, pos: t.pos, num: n.num, text: n.text}
	case tString:
		p.next()
		return &value{kind: vStr, pos: t.pos, text: t.text}
	case tLBrack:
		return p.list()
	case tIdent:
		p.next()
		return p.afterName(t)
	}
	p.fail(t.pos, "expected a value, got %s", t.describe())
	return nil
}

// afterName finishes a value that starts with the name t (already
// consumed): a boolean or a call.
func (p *parser) afterName(t token) *value {
	switch t.text {
	case "true", "True":
		return &value{kind: vBool, pos: t.pos, b: true}
	case "false", "False":
		return &value{kind: vBool, pos: t.pos}
	}
	if p.tok.kind != tLParen && p.tok.kind != tDot {
		p.fail(t.pos, "expected a value, got name %q (write a string in quotes: \"%s\")", t.text, t.text)
	}
	// Push the current token back: call() starts at the name.
	p.pushback = &token{}
	*p.pushback = p.tok
	p.tok = t
	c := p.call()
	return &value{kind: vCall, pos: c.pos, call: c}
}

// list parses "[" [value {"," value} [","]] "]".
func (p *parser) list() *value {
	v := &value{kind: vList, pos: p.tok.pos}
	p.enter(v.pos)
	defer func() { p.depth-- }()
	p.next()
	for p.tok.kind != tRBrack {
		if p.tok.kind == tEOF {
			p.fail(v.pos, "unterminated list: missing \"]\"")
		}
		v.list = append(v.list, p.value())
		switch p.tok.kind {
		case tComma:
			p.next()
		case tRBrack:
		case tEOF:
			p.fail(v.pos, "unterminated list: missing \"]\"")
		default:
			p.fail(p.tok.pos, "expected \",\" or \"]\" in the list opened at %s, got %s", v.pos, p.tok.describe())
		}
	}
	p.next()
	return v
}
