package results

import (
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ReadAtSeeker is what the readers need of a file: *os.File and
// *bytes.Reader are ones.
type ReadAtSeeker interface {
	io.Reader
	io.ReaderAt
	io.Seeker
}

// WriteIPC writes rec to w as an Arrow IPC file (Feather v2, ".arrow"),
// uncompressed so that readers can memory-map it. w is not closed.
func WriteIPC(w io.Writer, rec arrow.RecordBatch) error {
	if rec == nil {
		return errors.New("write arrow: no record batch")
	}
	fw, err := ipc.NewFileWriter(w, ipc.WithSchema(rec.Schema()))
	if err != nil {
		return fmt.Errorf("write arrow: %w", err)
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return fmt.Errorf("write arrow: %w", err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("write arrow: %w", err)
	}
	return nil
}

// ReadIPC reads an Arrow IPC file into one record batch (the file's batches
// concatenated), allocating with mem (nil: memory.DefaultAllocator). The
// caller releases it.
func ReadIPC(r ReadAtSeeker, mem memory.Allocator) (arrow.RecordBatch, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	fr, err := ipc.NewFileReader(r, ipc.WithAllocator(mem))
	if err != nil {
		return nil, fmt.Errorf("read arrow: %w", err)
	}
	defer fr.Close()
	var recs []arrow.RecordBatch
	defer func() {
		for _, rec := range recs {
			rec.Release()
		}
	}()
	for i := 0; i < fr.NumRecords(); i++ {
		rec, err := fr.RecordBatchAt(i)
		if err != nil {
			return nil, fmt.Errorf("read arrow: batch %d: %w", i, err)
		}
		recs = append(recs, rec)
	}
	chunks := make([][]arrow.Array, fr.Schema().NumFields())
	for _, rec := range recs {
		for j, c := range rec.Columns() {
			chunks[j] = append(chunks[j], c)
		}
	}
	rec, err := JoinChunks(fr.Schema(), chunks, mem)
	if err != nil {
		return nil, fmt.Errorf("read arrow: %w", err)
	}
	return rec, nil
}

// JoinChunks makes one record batch whose column j is chunks[j] concatenated.
func JoinChunks(schema *arrow.Schema, chunks [][]arrow.Array, mem memory.Allocator) (arrow.RecordBatch, error) {
	cols := make([]arrow.Array, 0, len(chunks))
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	rows := int64(-1)
	for j, cs := range chunks {
		var col arrow.Array
		switch len(cs) {
		case 0:
			b := array.NewBuilder(mem, schema.Field(j).Type)
			col = b.NewArray()
			b.Release()
		case 1:
			col = cs[0]
			col.Retain()
		default:
			var err error
			if col, err = array.Concatenate(cs, mem); err != nil {
				return nil, fmt.Errorf("column %q: %w", schema.Field(j).Name, err)
			}
		}
		cols = append(cols, col)
		if rows >= 0 && int64(col.Len()) != rows {
			return nil, fmt.Errorf("column %q has %d rows, the others %d", schema.Field(j).Name, col.Len(), rows)
		}
		rows = int64(col.Len())
	}
	if rows < 0 {
		rows = 0
	}
	return array.NewRecordBatch(schema, cols, rows), nil
}
