package results

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// fixedBuf writes the n values of a fixed-width column straight into an
// Arrow buffer of exactly n values. The validity bitmap is made only when
// the first null comes (most columns have none), so a valid value costs one
// store. Null slots are zeroed: no stale memory reaches a file.
type fixedBuf[T arrow.FixedWidthType] struct {
	typ   arrow.DataType
	mem   memory.Allocator
	data  *memory.Buffer
	vals  []T
	valid *memory.Buffer // nil while there is no null
	bits  []byte
	nulls int
	n     int // values written
}

func newFixedBuf[T arrow.FixedWidthType](mem memory.Allocator, typ arrow.DataType, n int) *fixedBuf[T] {
	b := &fixedBuf[T]{typ: typ, mem: mem, data: memory.NewResizableBuffer(mem)}
	b.data.Resize(n * typ.(arrow.FixedWidthDataType).Bytes())
	b.vals = arrow.GetData[T](b.data.Bytes())[:n]
	return b
}

func (b *fixedBuf[T]) set(v T) {
	b.vals[b.n] = v
	if b.bits != nil {
		bitutil.SetBit(b.bits, b.n)
	}
	b.n++
}

func (b *fixedBuf[T]) setNull() {
	if b.bits == nil {
		b.valid = memory.NewResizableBuffer(b.mem)
		b.valid.Resize(int(bitutil.BytesForBits(int64(len(b.vals)))))
		b.bits = b.valid.Bytes()
		clear(b.bits)
		bitutil.SetBitsTo(b.bits, 0, int64(b.n), true)
	}
	var zero T
	b.vals[b.n] = zero
	b.nulls++
	b.n++
}

// newArray returns the column (the buffers pass to it).
func (b *fixedBuf[T]) newArray() arrow.Array {
	data := array.NewData(b.typ, b.n, []*memory.Buffer{b.valid, b.data}, nil, b.nulls, 0)
	defer data.Release()
	b.release()
	return array.MakeFromData(data)
}

func (b *fixedBuf[T]) release() {
	if b.data != nil {
		b.data.Release()
		b.data = nil
	}
	if b.valid != nil {
		b.valid.Release()
		b.valid = nil
	}
}
