package parquetfile_test

import (
	"bytes"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/morphml/morphml/core/results"
	"github.com/morphml/morphml/core/results/parquetfile"
	"github.com/morphml/morphml/core/search"
)

func TestRoundTrip(t *testing.T) {
	info, trials := exampleStudy()
	for _, tb := range []struct {
		name string
		make func(search.StudyInfo, []search.Trial, memory.Allocator) (arrow.RecordBatch, error)
		rows int64
	}{{"trials", results.Trials, 2}, {"curves", results.Curves, 2}} {
		t.Run(tb.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			rec, err := tb.make(info, trials, mem)
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			var buf bytes.Buffer
			if err := parquetfile.Write(&buf, rec); err != nil {
				t.Fatal(err)
			}
			back, err := parquetfile.Read(bytes.NewReader(buf.Bytes()), mem)
			if err != nil {
				t.Fatal(err)
			}
			defer back.Release()
			if back.NumRows() != tb.rows || !array.RecordEqual(rec, back) || !back.Schema().Equal(rec.Schema()) {
				t.Fatalf("read back %v, want %v", back, rec)
			}
			got, err := results.Info(back.Schema())
			if err != nil || got.Name != info.Name {
				t.Fatalf("study info back: %+v, %v", got, err)
			}
		})
	}
}

func TestReadGarbage(t *testing.T) {
	if _, err := parquetfile.Read(bytes.NewReader([]byte("not a parquet file")), nil); err == nil {
		t.Fatal("no error for a file that is not Parquet")
	}
	if err := parquetfile.Write(&bytes.Buffer{}, nil); err == nil {
		t.Fatal("no error for a nil record batch")
	}
}
