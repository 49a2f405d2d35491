package xla

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"

	"github.com/gomlx/gomlx/pkg/core/tensors"

	"github.com/morphml/morphml/core/graph"
)

// DefaultKeepData is how many training sets no network uses an engine
// keeps on the device when Engine.KeepData is 0.
const DefaultKeepData = 1

// residentData is a training set on the device, shared by the networks of
// an engine that load the same slices.
type residentData struct {
	key     dataKey
	x, y    *tensors.Tensor // [n, input...] float32 and [n] int32, on the device only
	n       int
	classes int // 1 + the largest label
	labels  []int32
	refs    int    // networks using it
	used    uint64 // the engine's data clock at the last release, for eviction
}

// dataKey names a training set by its slices and backend, plus a
// fingerprint of sampled values, so that a slice refilled in place is not
// mistaken for the data it held before.
type dataKey struct {
	backend string
	x       *float32
	nx      int
	y       *int
	ny      int
	input   string
	sample  uint64
}

var dataSeed = maphash.MakeSeed()

// fingerprint hashes every label and up to 4096 values of x spread over
// it: cheap next to an upload, and it changes when the data is refilled.
func fingerprint(x []float32, y []int) uint64 {
	var h maphash.Hash
	h.SetSeed(dataSeed)
	b := make([]byte, 0, 8*len(y)+4*4097)
	for _, v := range y {
		b = binary.LittleEndian.AppendUint64(b, uint64(v))
	}
	stride := max(1, len(x)/4096)
	for i := 0; i < len(x); i += stride {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x[i]))
	}
	_, _ = h.Write(b)
	return h.Sum64()
}

// residentData returns the device copy of a training set, uploading it
// unless a network of the engine already did, and takes a reference.
func (e *Engine) residentData(be *backend, input graph.Shape, x []float32, y []int) (*residentData, error) {
	key := dataKey{backend: be.key, x: &x[0], nx: len(x), y: &y[0], ny: len(y), input: fmt.Sprint(input), sample: fingerprint(x, y)}
	e.mu.Lock()
	if d, ok := e.data[key]; ok {
		d.refs++
		e.mu.Unlock()
		return d, nil
	}
	e.mu.Unlock()

	d := &residentData{key: key, n: len(y), refs: 1, labels: make([]int32, len(y))}
	for i, c := range y {
		if c < 0 {
			return nil, fmt.Errorf("xla: load: label %d is %d, negative", i, c)
		}
		d.labels[i] = int32(c)
		d.classes = max(d.classes, c+1)
	}
	d.x = tensors.FromFlatDataAndDimensions(x, append([]int{len(y)}, input...)...)
	d.y = tensors.FromFlatDataAndDimensions(d.labels, len(y))
	for _, t := range []*tensors.Tensor{d.x, d.y} {
		if err := t.MaterializeOnDevice(be.b, false, 0); err != nil {
			d.free()
			return nil, fmt.Errorf("xla: load: %w", err)
		}
		t.FinalizeLocal()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if old, ok := e.data[key]; ok { // another network uploaded it meanwhile
		old.refs++
		d.free()
		return old, nil
	}
	if e.data == nil {
		e.data = map[dataKey]*residentData{}
	}
	e.data[key] = d
	return d, nil
}

// firstBad is the index of the first label >= classes (or -1).
func (d *residentData) firstBad(classes int) int {
	for i, c := range d.labels {
		if int(c) >= classes {
			return i
		}
	}
	return -1
}

// releaseData drops a network's reference; training sets no network uses
// beyond the KeepData most recently released are freed.
func (e *Engine) releaseData(d *residentData) {
	e.mu.Lock()
	defer e.mu.Unlock()
	d.refs--
	e.dataClock++
	d.used = e.dataClock
	keep := e.KeepData
	if keep == 0 {
		keep = DefaultKeepData
	}
	for {
		var idle []*residentData
		for _, o := range e.data {
			if o.refs == 0 {
				idle = append(idle, o)
			}
		}
		if len(idle) <= max(keep, 0) {
			return
		}
		oldest := idle[0]
		for _, o := range idle[1:] {
			if o.used < oldest.used {
				oldest = o
			}
		}
		delete(e.data, oldest.key)
		oldest.free()
	}
}

func (d *residentData) free() {
	for _, t := range []*tensors.Tensor{d.x, d.y} {
		if t != nil {
			_ = t.FinalizeAll()
		}
	}
}

// ResidentData is the number of training sets the engine holds on its
// device, used by networks or kept for the next ones.
func (e *Engine) ResidentData() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.data)
}
