package xla

import (
	"fmt"
	"sync"

	"github.com/morphml/morphml/core/train"
)

func init() { train.RegisterAccelerator(openAccelerator) }

var (
	gpuMu     sync.Mutex
	gpuEngine *Engine
)

// openAccelerator is the train.Accelerator of this engine: "gpu" needs a
// usable CUDA plugin (the error lists where it was looked for); "auto"
// gives nil without one, so that the caller keeps its CPU engine (the
// gorgonia engine is several times faster on a CPU than XLA's pure-Go
// backend). Every search of the process gets the same engine, so that a
// search run again (in a notebook, say) finds its architectures compiled
// and its training set on the device.
func openAccelerator(device string) (train.Engine, error) {
	if device != "gpu" && device != "auto" {
		return nil, fmt.Errorf("xla: no accelerator for device %q (want gpu or auto)", device)
	}
	gpuMu.Lock()
	defer gpuMu.Unlock()
	if gpuEngine == nil {
		e := New(GPU)
		if _, err := e.Backend(); err != nil {
			if device == "auto" {
				return nil, nil
			}
			return nil, err
		}
		gpuEngine = e
	}
	return gpuEngine, nil
}
