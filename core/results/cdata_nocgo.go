//go:build !cgo

package results

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

var errNoCgo = errors.New("the Arrow C Data Interface needs a build with cgo (CGO_ENABLED=1)")

// CBatch is a record batch exported through the Arrow C Data Interface. This
// build has no cgo: ExportC always fails.
type CBatch struct {
	Schema uintptr
	Array  uintptr
}

// ExportC needs cgo; this build has none.
func ExportC(rec arrow.RecordBatch) (*CBatch, error) { return nil, errNoCgo }

// Release does nothing without cgo.
func (c *CBatch) Release() {}

// ImportC needs cgo; this build has none.
func ImportC(array, schema uintptr) (arrow.RecordBatch, error) { return nil, errNoCgo }

// CAllocator is memory.DefaultAllocator without cgo.
func CAllocator() memory.Allocator { return memory.DefaultAllocator }
