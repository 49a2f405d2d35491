package search

import (
	"fmt"
	"sort"
	"sync"

	"github.com/morphml/morphml/core/space"
)

// Option is one setting of an optimizer, such as evolution's population_size.
// Param says its type and range; the value travels encoded as in a
// space.Point (a categorical's index).
type Option struct {
	space.Param
	Default float64
	Doc     string
}

// Options are the settings given to a Factory, by name. Missing names take
// the option's default.
type Options map[string]float64

// Factory makes one kind of optimizer.
type Factory struct {
	Name    string
	Doc     string
	Options []Option
	New     func(sp *space.Space, seed int64, opts Options) (Optimizer, error)
}

// Option returns the named option.
func (f Factory) Option(name string) (Option, bool) {
	for _, o := range f.Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// Resolve fills in defaults and checks names and ranges.
func (f Factory) Resolve(opts Options) (Options, error) {
	out := Options{}
	for _, o := range f.Options {
		out[o.Name] = o.Default
	}
	for k, v := range opts {
		o, ok := f.Option(k)
		if !ok {
			return nil, fmt.Errorf("optimizer %q has no option %q", f.Name, k)
		}
		if !o.Contains(v) {
			return nil, fmt.Errorf("optimizer %q: option %s=%s is out of range", f.Name, k, o.Format(v))
		}
		out[k] = v
	}
	return out, nil
}

var (
	registryMu sync.RWMutex
	registry   = map[string]Factory{}
)

// Register makes an optimizer available by name (to the DSL, the CLI and the
// Python package). Optimizer packages call it from init.
func Register(f Factory) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[f.Name]; dup {
		panic("search: optimizer registered twice: " + f.Name)
	}
	registry[f.Name] = f
}

// Lookup returns the factory of a registered optimizer.
func Lookup(name string) (Factory, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	f, ok := registry[name]
	return f, ok
}

// Names lists the registered optimizers, sorted.
func Names() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	var out []string
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// NewOptimizer builds a registered optimizer with resolved options.
func NewOptimizer(name string, sp *space.Space, seed int64, opts Options) (Optimizer, error) {
	f, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown optimizer %q (known: %v)", name, Names())
	}
	o, err := f.Resolve(opts)
	if err != nil {
		return nil, err
	}
	return f.New(sp, seed, o)
}
