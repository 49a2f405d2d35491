//go:build !unix

package results

import "time"

// cpuTime is not measured on this system.
func cpuTime() time.Duration { return 0 }
