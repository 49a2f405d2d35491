package parquetfile

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/morphml/morphml/core/results"
)

// writerOnly hides Close: the Parquet writer closes a sink that has one.
type writerOnly struct{ io.Writer }

// Write writes rec to w as a Parquet file (zstd-compressed, with the
// Arrow schema stored so that dictionary columns, time zones and the schema
// metadata read back as written; pandas reads the dictionary columns as
// categories). w is not closed.
func Write(w io.Writer, rec arrow.RecordBatch) error {
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

// Read reads a Parquet file into one record batch, allocating with
// mem (nil: memory.DefaultAllocator). The caller releases it.
func Read(r results.ReadAtSeeker, mem memory.Allocator) (arrow.RecordBatch, error) {
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
	rec, err := results.JoinChunks(withoutFieldIDs(tbl.Schema(), full.Metadata()), chunks, mem)
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	return rec, nil
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
