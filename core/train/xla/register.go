package xla

import (
	"fmt"

	"github.com/morphml/morphml/core/train"
)

func init() { train.RegisterAccelerator(openAccelerator) }

// openAccelerator is the train.Accelerator of this engine: "gpu" needs a
// usable CUDA plugin (the error lists where it was looked for); "auto"
// gives nil without one, so that the caller keeps its CPU engine (the
// gorgonia engine is several times faster on a CPU than XLA's pure-Go
// backend).
func openAccelerator(device string) (train.Engine, error) {
	switch device {
	case "gpu":
		e := New(GPU)
		if _, err := e.Backend(); err != nil {
			return nil, err
		}
		return e, nil
	case "auto":
		if e := New(Auto); e.OnGPU() {
			return e, nil
		}
		return nil, nil
	}
	return nil, fmt.Errorf("xla: no accelerator for device %q (want gpu or auto)", device)
}
