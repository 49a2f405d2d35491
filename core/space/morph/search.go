package morph

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/morphml/morphml/core/pruners"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

var directionNames = []string{"maximize", "minimize", "max", "min"}

// search reads the Search statement.
// Devices are the values of Search(device=...).
var Devices = []string{"cpu", "gpu", "auto"}

func (b *builder) search() {
	a := b.once[stSearch]
	if a == nil {
		return
	}
	s := &Search{}
	b.file.Search = s
	name, ok := a.str("optimizer", "evolution")
	s.Optimizer = name
	f, found := search.Lookup(name)
	if ok && !found {
		names := search.Names()
		if len(names) == 0 {
			b.e.at(a.pos("optimizer"), "unknown optimizer %q: no optimizer is registered (import the optimizer packages)", name)
		} else {
			b.e.at(a.pos("optimizer"), "%s (known: %s)", unknown("optimizer", name, names), strings.Join(names, ", "))
		}
	}
	budget, _ := a.int("budget", 100, 1, 1_000_000_000)
	s.Budget = int(budget)
	s.Seed, _ = a.int("seed", 0, -(1 << 53), 1<<53)
	par, _ := a.int("parallel", 1, 1, 1024)
	s.Parallel = int(par)
	if t, ok := a.str("timeout", ""); ok && t != "" {
		d, err := time.ParseDuration(t)
		switch {
		case err != nil:
			b.e.at(a.pos("timeout"), "timeout must be a duration such as \"10m\" or \"1h30m\", got %q", t)
		case d <= 0:
			b.e.at(a.pos("timeout"), "timeout must be positive, got %q", t)
		default:
			s.Timeout = d
		}
	} else if ok && a.has("timeout") {
		b.e.at(a.pos("timeout"), "timeout must be a duration such as \"10m\" or \"1h30m\", got \"\"")
	}
	s.Device = "cpu"
	if d, ok := a.str("device", "cpu"); ok {
		d = strings.ToLower(d)
		if !slices.Contains(Devices, d) {
			b.e.at(a.pos("device"), "%s (known: %s)", unknown("device", d, Devices), strings.Join(Devices, ", "))
		} else {
			s.Device = d
		}
	}
	s.Directions = []search.Direction{search.Maximize}
	if dirs, ok := a.strs("directions", "direction", directionNames); ok && dirs != nil {
		s.Directions = s.Directions[:0]
		for _, d := range dirs {
			dir, _ := search.ParseDirection(d)
			s.Directions = append(s.Directions, dir)
		}
	}
	if !found {
		return
	}
	opts := search.Options{}
	for _, x := range a.extra {
		o, ok := f.Option(x.name)
		if !ok {
			b.e.at(x.namePos, "%s", unknownOption(a, f, x.name))
			continue
		}
		if v, ok := optionValue(b.e, o, x); ok {
			opts[x.name] = v
		}
	}
	resolved, err := f.Resolve(opts)
	if err != nil {
		b.e.at(a.c.pos, "%v", err)
		return
	}
	s.Options = resolved
}

// prune reads the Prune statement: the pruner and its options.
func (b *builder) prune() {
	a := b.once[stPrune]
	if a == nil {
		return
	}
	name, ok := a.str("pruner", "")
	if !ok {
		return
	}
	pf, found := pruners.Lookup(name)
	if !found {
		names := pruners.Names()
		b.e.at(a.pos("pruner"), "%s (known: %s)", unknown("pruner", name, names), strings.Join(names, ", "))
		return
	}
	f := search.Factory{Name: pf.Name, Options: pf.Options}
	opts := search.Options{}
	for _, x := range a.extra {
		o, ok := f.Option(x.name)
		if !ok {
			var names []string
			for _, o := range f.Options {
				names = append(names, o.Name)
			}
			b.e.at(x.namePos, "%s (pruner %q has the options %s)", unknownIn("argument", x.name, stPrune, append(a.s.names(), names...)), name, strings.Join(names, ", "))
			continue
		}
		if v, ok := optionValue(b.e, o, x); ok {
			opts[x.name] = v
		}
	}
	resolved, err := f.Resolve(opts)
	if err != nil {
		b.e.at(a.c.pos, "%s", strings.Replace(err.Error(), "optimizer", "pruner", 1))
		return
	}
	b.file.Prune = &Prune{Pruner: name, Options: resolved}
}

func unknownOption(a *args, f search.Factory, name string) string {
	var opts []string
	for _, o := range f.Options {
		opts = append(opts, o.Name)
	}
	msg := unknownIn("argument", name, "Search", append(a.s.names(), opts...))
	switch {
	case strings.Contains(msg, "did you mean"):
	case len(opts) == 0:
		msg += fmt.Sprintf(" (optimizer %q has no options)", f.Name)
	default:
		msg += fmt.Sprintf(" (optimizer %q has the options %s)", f.Name, strings.Join(opts, ", "))
	}
	return msg
}

// optionValue encodes the value of an optimizer option as in a space.Point.
func optionValue(e *errs, o search.Option, x *arg) (float64, bool) {
	v := x.val
	var enc float64
	switch o.Kind {
	case space.Categorical:
		text := v.text
		switch v.kind {
		case vBool:
			text = strconv.FormatBool(v.b)
		case vStr, vNum:
		default:
			e.at(v.pos, "%s must be one of %s, got %s", o.Name, strings.Join(quoteAll(o.Choices), ", "), v.kind)
			return 0, false
		}
		i := o.Index(text)
		if i < 0 {
			msg := fmt.Sprintf("%s must be one of %s, got %q", o.Name, strings.Join(quoteAll(o.Choices), ", "), text)
			if s := suggest(text, o.Choices); s != "" {
				msg += fmt.Sprintf(" — did you mean %q?", s)
			}
			e.at(v.pos, "%s", msg)
			return 0, false
		}
		return float64(i), true
	case space.Int:
		if !isInt(v) {
			e.at(v.pos, "%s must be an integer, got %s", o.Name, describeValue(v))
			return 0, false
		}
		enc = v.num
	default:
		if v.kind != vNum {
			e.at(v.pos, "%s must be a number, got %s", o.Name, describeValue(v))
			return 0, false
		}
		enc = v.num
	}
	if !o.Contains(enc) {
		e.at(v.pos, "%s must be in [%s, %s], got %s", o.Name, o.Format(o.Low), o.Format(o.High), v.text)
		return 0, false
	}
	return enc, true
}

func describeValue(v *value) string {
	switch v.kind {
	case vNum:
		return v.text
	case vStr:
		return "the string " + strconv.Quote(v.text)
	case vBool:
		return strconv.FormatBool(v.b)
	case vCall:
		return v.call.name + "(...)"
	}
	return v.kind.String()
}

func quoteAll(ss []string) []string {
	out := slices.Clone(ss)
	for i, s := range out {
		out[i] = strconv.Quote(s)
	}
	return out
}
