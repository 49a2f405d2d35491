package xla

import (
	"container/list"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
)

// DefaultCacheSize is the number of compiled programs an Engine keeps when
// Engine.CacheSize is 0.
const DefaultCacheSize = 64

// Engine builds networks on GoMLX. Set its fields before the first Build;
// it is safe for concurrent use afterwards.
type Engine struct {
	// Device is where networks train (default Auto).
	Device Device
	// Plugin is the path of the PJRT plugin to load. Empty means, for
	// GPU, $MORPHML_XLA_PLUGIN, then the plugin of an installed
	// jax-cuda*-pjrt pip package (see FindCUDAPlugin); for CPU,
	// $MORPHML_XLA_CPU_PLUGIN, then GoMLX's pure-Go backend (PureGo
	// picks it always).
	Plugin string
	// Lowering picks how convolutions and pooling become backend ops
	// (default: native where the backend can, gather otherwise).
	Lowering Lowering
	// CacheSize is how many compiled programs (one per architecture,
	// input shape, batch size and optimizer) to keep; 0 means
	// DefaultCacheSize, < 0 none.
	CacheSize int
	// NoEvalAhead switches off compiling a new architecture's inference
	// program in the background while its first training steps run
	// (then the first validation compiles it).
	NoEvalAhead bool
	// KeepData is how many training sets that no network uses any more
	// stay on the device for the next networks (LoadTrain); 0 means
	// DefaultKeepData, < 0 none.
	KeepData int

	mu        sync.Mutex
	be        *backend
	cache     map[string]*program
	lru       *list.List // of *program, most recently used first
	data      map[dataKey]*residentData
	dataClock uint64
}

// New returns an engine for a device.
func New(d Device) *Engine { return &Engine{Device: d} }

var _ train.Engine = (*Engine)(nil)

// Name implements train.Engine.
func (*Engine) Name() string { return "xla" }

// Backend opens (once) and names the backend the engine trains on: "go"
// for the pure-Go backend or "xla:<plugin path>".
func (e *Engine) Backend() (string, error) {
	be, err := e.backend()
	if err != nil {
		return "", err
	}
	return be.key, nil
}

// Describe names the engine and its backend: "xla on xla:<plugin path>",
// "xla on go" (the pure-Go backend), or "xla (<why the backend is not
// usable>)".
func (e *Engine) Describe() string {
	be, err := e.backend()
	if err != nil {
		return "xla (" + err.Error() + ")"
	}
	return "xla on " + be.key
}

// OnGPU reports whether the engine trains on a GPU (opening the backend).
func (e *Engine) OnGPU() bool {
	be, err := e.backend()
	return err == nil && be.device == GPU
}

func (e *Engine) backend() (*backend, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.be != nil {
		return e.be, nil
	}
	be, err := openBackend(e.Device, e.Plugin)
	if err != nil {
		return nil, err
	}
	e.be = be
	return be, nil
}

// Build implements train.Engine: it checks the architecture, finds or
// makes the compiled program for it, and initialises the weights from
// o.Seed exactly as the gorgonia engine does. Compilation happens on the
// first TrainStep (or Predict) of the first network of an architecture.
func (e *Engine) Build(a *graph.Arch, input graph.Shape, o train.Options) (n train.Network, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = nil, fmt.Errorf("xla: building the network: internal error: %v\n%s", r, debug.Stack())
		}
	}()
	o = o.WithDefaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	be, err := e.backend()
	if err != nil {
		return nil, err
	}
	m, err := newModel(a, input, o, e.Lowering)
	if err != nil {
		return nil, err
	}
	if m.lowering, err = chooseLowering(be.b, be.key, e.Lowering, a, m.live); err != nil {
		return nil, err
	}
	p, hit, err := e.program(m, be)
	if err != nil {
		return nil, err
	}
	net, err := newNetwork(p, o)
	if err != nil {
		e.release(p)
		return nil, err
	}
	net.engine, net.stats.CacheHit = e, hit
	if !hit && !e.NoEvalAhead {
		e.compileEvalAhead(p)
	}
	return net, nil
}

// program returns the cached program for the model or makes one, and
// takes a reference to it.
func (e *Engine) program(m *model, be *backend) (*program, bool, error) {
	key := be.key + "|" + m.key()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cache == nil {
		e.cache, e.lru = map[string]*program{}, list.New()
	}
	if p, ok := e.cache[key]; ok {
		p.refs++
		e.lru.MoveToFront(p.elem)
		return p, true, nil
	}
	p, err := newProgram(m, be, key)
	if err != nil {
		return nil, false, err
	}
	p.refs = 1
	size := e.CacheSize
	if size == 0 {
		size = DefaultCacheSize
	}
	if size > 0 {
		e.cache[key] = p
		p.elem = e.lru.PushFront(p)
		for e.lru.Len() > size {
			old := e.lru.Back().Value.(*program)
			e.lru.Remove(old.elem)
			delete(e.cache, old.key)
			old.elem = nil
			if old.refs == 0 {
				old.finalize()
			}
		}
	}
	return p, false, nil
}

// release drops a network's reference to its program; an evicted program
// is freed with its last network.
func (e *Engine) release(p *program) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p.refs--
	if p.refs == 0 && p.elem == nil {
		p.finalize()
	}
}

func (p *program) finalize() {
	p.train.Finalize()
	p.eval.Finalize()
}

// CacheLen is the number of compiled programs the engine holds.
func (e *Engine) CacheLen() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.cache)
}

// shortKey is the readable head of a cache key.
func shortKey(key string) string {
	parts := strings.SplitN(key, "|", 6)
	if len(parts) < 5 {
		return key
	}
	return strings.Join(parts[1:5], "|")
}
