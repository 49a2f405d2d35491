package morph

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// typ is the type an argument takes.
type typ int

const (
	tyInt     typ = iota // an integer
	tyInts               // an integer or a list of integers (a choice)
	tyFloat              // a number
	tyFloats             // a number or a list of numbers (a choice)
	tyStr                // a string
	tyStrs               // a string or a list of strings (a choice)
	tyBool               // true or false
	tyShape              // a list of integers
	tyLayers             // a list of Layer calls
	tyCell               // a Cell call
	tyChoices            // a list of strings or numbers
	tyCalls              // a list of calls (see the argument's doc)
)

var typNames = [...]string{
	tyInt:     "an integer",
	tyInts:    "an integer or a list of integers",
	tyFloat:   "a number",
	tyFloats:  "a number or a list of numbers",
	tyStr:     "a string",
	tyStrs:    "a string or a list of strings",
	tyBool:    "true or false",
	tyShape:   "a list of integers",
	tyLayers:  "a list of layers",
	tyCell:    "a cell",
	tyChoices: "a list of strings or numbers",
	tyCalls:   "a list of calls",
}

func (t typ) String() string { return typNames[t] }

// param describes one argument of a call, for binding and for GRAMMAR.md.
type param struct {
	name     string
	ty       typ
	required bool
	def      string // the default, as shown in GRAMMAR.md ("" when required or none)
	doc      string
}

// sig describes a call: a statement, a layer or a cell.
type sig struct {
	name   string
	params []param
	doc    string
	// extra, when set, accepts arguments the signature does not list (the
	// caller checks them); otherwise they are errors.
	extra bool
}

func (s *sig) param(name string) (param, bool) {
	for _, p := range s.params {
		if p.name == name {
			return p, true
		}
	}
	return param{}, false
}

func (s *sig) names() []string {
	out := make([]string, len(s.params))
	for i, p := range s.params {
		out[i] = p.name
	}
	return out
}

// args are the arguments of one call bound to a signature.
type args struct {
	c     *call
	s     *sig
	e     *errs
	byArg map[string]*arg
	extra []*arg // named arguments not in the signature (sig.extra)
}

// bind matches the arguments of c to s: positional ones in order, named
// ones by name. It reports unknown names (with a suggestion), too many
// positional arguments and missing required ones.
func bind(c *call, s *sig, e *errs) *args {
	a := &args{c: c, s: s, e: e, byArg: map[string]*arg{}}
	for i, x := range c.args {
		name := x.name
		if name == "" {
			if i >= len(s.params) {
				e.at(x.val.pos, "%s takes at most %d positional arguments, got %d", c.name, len(s.params), countPositional(c))
				continue
			}
			name = s.params[i].name
		} else if _, ok := s.param(name); !ok {
			if s.extra {
				a.extra = append(a.extra, x)
				continue
			}
			e.at(x.namePos, "%s", unknownArg(c.name, name, s.names()))
			continue
		}
		if a.byArg[name] != nil {
			e.at(x.namePos, "argument %q is given twice", name)
			continue
		}
		a.byArg[name] = x
	}
	for _, p := range s.params {
		if p.required && a.byArg[p.name] == nil {
			e.at(c.memPos, "%s needs the argument %s=", c.name, p.name)
		}
	}
	return a
}

func countPositional(c *call) int {
	n := 0
	for _, x := range c.args {
		if x.name == "" {
			n++
		}
	}
	return n
}

func unknownArg(call, name string, known []string) string {
	msg := unknownIn("argument", name, call, known)
	if len(known) == 0 {
		msg += " (it takes no arguments)"
	}
	return msg
}

// has reports whether the argument was given.
func (a *args) has(name string) bool { return a.byArg[name] != nil }

// val returns the value of an argument, or nil.
func (a *args) val(name string) *value {
	if x := a.byArg[name]; x != nil {
		return x.val
	}
	return nil
}

// pos returns where an argument's value starts, or where the call's name
// starts when the argument is absent.
func (a *args) pos(name string) Pos {
	if v := a.val(name); v != nil {
		return v.pos
	}
	return a.c.memPos
}

// typeErr reports that v is not of type t.
func (a *args) typeErr(name string, v *value, t typ) {
	got := v.kind.String()
	switch v.kind {
	case vNum:
		got = "the number " + v.text
		if t == tyInt || t == tyInts || t == tyShape {
			if math.IsInf(v.num, 0) || math.Abs(v.num) >= 1<<53 {
				got = "the number " + v.text + " (too large)"
			} else {
				got = "the non-integer " + v.text
			}
		}
	case vStr:
		got = "the string " + strconv.Quote(v.text)
	case vBool:
		got = strconv.FormatBool(v.b)
	case vCall:
		got = v.call.name + "(...)"
	}
	a.e.at(v.pos, "%s must be %s, got %s", name, t, got)
}

// isInt reports whether v is an integer that a float64 holds exactly.
func isInt(v *value) bool {
	return v.kind == vNum && v.num == math.Trunc(v.num) && math.Abs(v.num) < 1<<53
}

// int returns an integer argument in [lo, hi], or def when absent.
func (a *args) int(name string, def, lo, hi int64) (int64, bool) {
	v := a.val(name)
	if v == nil {
		return def, true
	}
	if !isInt(v) {
		a.typeErr(name, v, tyInt)
		return def, false
	}
	return int64(v.num), a.inRange(name, v, lo, hi)
}

func (a *args) inRange(name string, v *value, lo, hi int64) bool {
	n := int64(v.num)
	switch {
	case n < lo:
		a.e.at(v.pos, "%s must be at least %d, got %s", name, lo, v.text)
	case n > hi:
		a.e.at(v.pos, "%s must be at most %d, got %s", name, hi, v.text)
	default:
		return true
	}
	return false
}

// list returns the elements of a choice argument: the list's elements, or
// the value itself when it is a scalar. An empty list is an error.
func (a *args) list(name string) ([]*value, bool) {
	v := a.val(name)
	if v == nil {
		return nil, true
	}
	if v.kind != vList {
		return []*value{v}, true
	}
	if len(v.list) == 0 {
		a.e.at(v.pos, "%s must not be an empty list", name)
		return nil, false
	}
	return v.list, true
}

// ints returns an integer-or-list argument with each value in [lo, hi] and
// no value twice (nil when absent).
func (a *args) ints(name string, lo, hi int64) ([]int, bool) {
	return a.intsOf(name, lo, hi, true)
}

func (a *args) intsOf(name string, lo, hi int64, unique bool) ([]int, bool) {
	vs, ok := a.list(name)
	var out []int
	for _, v := range vs {
		if !isInt(v) {
			a.typeErr(name, v, tyInts)
			ok = false
			continue
		}
		if !a.inRange(name, v, lo, hi) {
			ok = false
			continue
		}
		if unique && slices.Contains(out, int(v.num)) {
			a.e.at(v.pos, "%s lists %s twice", name, v.text)
			ok = false
			continue
		}
		out = append(out, int(v.num))
	}
	return out, ok
}

// floats returns a number-or-list argument, each value checked by check
// (which returns "" or what is wrong), no value twice.
func (a *args) floats(name string, check func(float64) string) ([]float64, bool) {
	vs, ok := a.list(name)
	var out []float64
	for _, v := range vs {
		if v.kind != vNum {
			a.typeErr(name, v, tyFloats)
			ok = false
			continue
		}
		if msg := check(v.num); msg != "" {
			a.e.at(v.pos, "%s %s, got %s", name, msg, v.text)
			ok = false
			continue
		}
		if slices.Contains(out, v.num) {
			a.e.at(v.pos, "%s lists %s twice", name, v.text)
			ok = false
			continue
		}
		out = append(out, v.num)
	}
	return out, ok
}

// strs returns a string-or-list argument whose values are among valid
// (any string when valid is nil), no value twice.
func (a *args) strs(name, what string, valid []string) ([]string, bool) {
	vs, ok := a.list(name)
	var out []string
	for _, v := range vs {
		if v.kind != vStr {
			a.typeErr(name, v, tyStrs)
			ok = false
			continue
		}
		if valid != nil && !slices.Contains(valid, v.text) {
			a.e.at(v.pos, "%s", unknown(what, v.text, valid))
			ok = false
			continue
		}
		if slices.Contains(out, v.text) {
			a.e.at(v.pos, "%s lists %q twice", name, v.text)
			ok = false
			continue
		}
		out = append(out, v.text)
	}
	return out, ok
}

// str returns a string argument, or def when absent.
func (a *args) str(name, def string) (string, bool) {
	v := a.val(name)
	if v == nil {
		return def, true
	}
	if v.kind != vStr {
		a.typeErr(name, v, tyStr)
		return def, false
	}
	return v.text, true
}

// boolean returns a boolean argument, or def when absent.
func (a *args) boolean(name string, def bool) (bool, bool) {
	v := a.val(name)
	if v == nil {
		return def, true
	}
	if v.kind != vBool {
		a.typeErr(name, v, tyBool)
		return def, false
	}
	return v.b, true
}

// number returns a number argument, or def when absent.
func (a *args) number(name string, def float64) (float64, bool) {
	v := a.val(name)
	if v == nil {
		return def, true
	}
	if v.kind != vNum {
		a.typeErr(name, v, tyFloat)
		return def, false
	}
	return v.num, true
}

// calls returns the calls of a list argument (a single call is a list of one).
func (a *args) calls(name string, t typ) ([]*call, bool) {
	vs, ok := a.list(name)
	var out []*call
	for _, v := range vs {
		if v.kind != vCall {
			a.typeErr(name, v, t)
			ok = false
			continue
		}
		out = append(out, v.call)
	}
	return out, ok
}

// pluralize formats n things.
func pluralize(n int, thing string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", thing)
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
