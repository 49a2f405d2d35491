//go:build cgo

package results

/*
#include <stdlib.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/cdata"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/memory/mallocator"
)

// CBatch is a record batch exported through the Arrow C Data Interface: the
// addresses of an ArrowSchema and an ArrowArray (a struct array whose
// children are the columns), both in C memory. A consumer takes them over
// without copying, e.g. in Python:
//
//	batch = pyarrow.RecordBatch._import_from_c(c.Array, c.Schema)
//
// which moves both out (their release callbacks become NULL). Release must
// be called in every case, once: it releases what was not taken over and
// frees the two structs.
type CBatch struct {
	Schema uintptr // address of a struct ArrowSchema
	Array  uintptr // address of a struct ArrowArray
}

// ExportC exports rec through the Arrow C Data Interface. The export holds
// its own reference to the data, so rec may be released at once.
//
// The buffers are shared, not copied. For a consumer that keeps them after
// the call returns (pyarrow does), build rec with CAllocator: then they live
// in C memory, outside the Go garbage collector's reach, as cgo's rules ask.
func ExportC(rec arrow.RecordBatch) (c *CBatch, err error) {
	if rec == nil {
		return nil, errors.New("export to C: no record batch")
	}
	schema := (*cdata.CArrowSchema)(C.calloc(1, C.size_t(unsafe.Sizeof(cdata.CArrowSchema{}))))
	arr := (*cdata.CArrowArray)(C.calloc(1, C.size_t(unsafe.Sizeof(cdata.CArrowArray{}))))
	if schema == nil || arr == nil {
		C.free(unsafe.Pointer(schema))
		C.free(unsafe.Pointer(arr))
		return nil, errors.New("export to C: out of memory")
	}
	c = &CBatch{Schema: uintptr(unsafe.Pointer(schema)), Array: uintptr(unsafe.Pointer(arr))}
	defer func() {
		if p := recover(); p != nil {
			c.Release()
			c, err = nil, fmt.Errorf("export to C: %v", p)
		}
	}()
	cdata.ExportArrowRecordBatch(rec, arr, schema)
	return c, nil
}

// Release releases whatever of the export was not moved out by a consumer
// and frees the ArrowSchema and ArrowArray structs. Calling it again does
// nothing.
func (c *CBatch) Release() {
	if c == nil {
		return
	}
	if c.Array != 0 {
		arr := cdata.ArrayFromPtr(c.Array)
		cdata.ReleaseCArrowArray(arr)
		C.free(unsafe.Pointer(arr))
		c.Array = 0
	}
	if c.Schema != 0 {
		schema := cdata.SchemaFromPtr(c.Schema)
		cdata.ReleaseCArrowSchema(schema)
		C.free(unsafe.Pointer(schema))
		c.Schema = 0
	}
}

// ImportC imports a record batch from the C Data Interface addresses of an
// ArrowArray (a struct array) and its ArrowSchema, taking over the array's
// data without copying and releasing the schema; the structs themselves stay
// with their owner (for a CBatch: its Release frees them).
func ImportC(array, schema uintptr) (arrow.RecordBatch, error) {
	if array == 0 || schema == 0 {
		return nil, errors.New("import from C: null address")
	}
	arr := cdata.ArrayFromPtr(array)
	rec, err := cdata.ImportCRecordBatch(arr, cdata.SchemaFromPtr(schema))
	if err != nil {
		cdata.ReleaseCArrowArray(arr)
		return nil, fmt.Errorf("import from C: %w", err)
	}
	return rec, nil
}

// CAllocator returns an allocator that takes memory from C's malloc: build a
// record batch with it before handing it to ExportC for a consumer that
// keeps the data.
func CAllocator() memory.Allocator { return mallocator.NewMallocator() }
