package results

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
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
	rec, err := joinChunks(fr.Schema(), chunks, mem)
	if err != nil {
		return nil, fmt.Errorf("read arrow: %w", err)
	}
	return rec, nil
}

// writerOnly hides Close: the Parquet writer closes a sink that has one.
type writerOnly struct{ io.Writer }

// WriteParquet writes rec to w as a Parquet file (zstd-compressed, with the
// Arrow schema stored so that dictionary columns, time zones and the schema
// metadata read back as written; pandas reads the dictionary columns as
// categories). w is not closed.
func WriteParquet(w io.Writer, rec arrow.RecordBatch) error {
	if rec == nil {
		return errors.New("write parquet: no record batch")
	}
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithAllocator(memory.DefaultAllocator),
	)
	fw, err := pqarrow.NewFileWriter(rec.Schema(), writerOnly{w}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return fmt.Errorf("write parquet: %w", err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	return nil
}

// ReadParquet reads a Parquet file into one record batch, allocating with
// mem (nil: memory.DefaultAllocator). The caller releases it.
func ReadParquet(r ReadAtSeeker, mem memory.Allocator) (arrow.RecordBatch, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	pf, err := file.NewParquetReader(r, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	defer pf.Close()
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 64 << 10}, mem)
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	// ReadTable's schema lacks the schema metadata; Schema has it.
	full, err := fr.Schema()
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	defer tbl.Release()
	chunks := make([][]arrow.Array, tbl.NumCols())
	for j := range chunks {
		chunks[j] = tbl.Column(j).Data().Chunks()
	}
	rec, err := joinChunks(withoutFieldIDs(tbl.Schema(), full.Metadata()), chunks, mem)
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	return rec, nil
}

// joinChunks makes one record batch whose column j is chunks[j] concatenated.
func joinChunks(schema *arrow.Schema, chunks [][]arrow.Array, mem memory.Allocator) (arrow.RecordBatch, error) {
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

// withoutFieldIDs drops the "PARQUET:field_id" = "-1" field metadata the
// Parquet reader adds to every column of a file written without field IDs,
// so that a table reads back with the schema it was written with.
// md is the schema metadata to give it.
func withoutFieldIDs(schema *arrow.Schema, md arrow.Metadata) *arrow.Schema {
	const key = "PARQUET:field_id"
	fields := schema.Fields()
	for i, f := range fields {
		j := f.Metadata.FindKey(key)
		if j < 0 || f.Metadata.Values()[j] != "-1" {
			continue
		}
		var keys, vals []string
		for k := range f.Metadata.Len() {
			if k != j {
				keys = append(keys, f.Metadata.Keys()[k])
				vals = append(vals, f.Metadata.Values()[k])
			}
		}
		fields[i].Metadata = arrow.NewMetadata(keys, vals)
	}
	return arrow.NewSchema(fields, &md)
}
