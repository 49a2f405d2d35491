package train

import (
	"errors"
	"sync"
)

// Accelerator opens the engine that trains on an accelerator for a device
// ("gpu", or "auto": the accelerator when one is usable, else nil and no
// error). core/train/xla registers one; a binary without it trains on the
// CPU only.
type Accelerator func(device string) (Engine, error)

var (
	accelMu sync.Mutex
	accel   Accelerator
)

// RegisterAccelerator makes an accelerator engine available to
// OpenAccelerator; the engine's package calls it from init.
func RegisterAccelerator(a Accelerator) {
	accelMu.Lock()
	defer accelMu.Unlock()
	accel = a
}

// ErrNoAccelerator says that this build has no accelerator engine.
var ErrNoAccelerator = errors.New("this build of MorphML has no GPU engine (core/train/xla is not linked in): train on the CPU (device=\"cpu\") or use the morphml command, which has it")

// OpenAccelerator returns the accelerator engine for device "gpu" (an error
// says why there is none) or "auto" (nil, nil when no accelerator is usable).
func OpenAccelerator(device string) (Engine, error) {
	accelMu.Lock()
	a := accel
	accelMu.Unlock()
	if a == nil {
		if device == "auto" {
			return nil, nil
		}
		return nil, ErrNoAccelerator
	}
	return a(device)
}
