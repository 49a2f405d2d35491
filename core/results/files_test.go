package results

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/morphml/morphml/core/search"
)

type format struct {
	name  string
	write func(io.Writer, arrow.RecordBatch) error
	read  func(ReadAtSeeker, memory.Allocator) (arrow.RecordBatch, error)
}

var formats = []format{{"arrow", WriteIPC, ReadIPC}} // Parquet: core/results/parquetfile

func TestFileRoundTrip(t *testing.T) {
	info, trials := testStudy()
	tables := []struct {
		name string
		make func(search.StudyInfo, []search.Trial, memory.Allocator) (arrow.RecordBatch, error)
		n    int
	}{
		{"trials", Trials, len(trials)},
		{"curves", Curves, 2},
		{"empty trials", func(i search.StudyInfo, _ []search.Trial, m memory.Allocator) (arrow.RecordBatch, error) {
			return Trials(i, nil, m)
		}, 0},
	}
	for _, f := range formats {
		for _, tb := range tables {
			t.Run(f.name+"/"+tb.name, func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				rec, err := tb.make(info, trials, mem)
				if err != nil {
					t.Fatal(err)
				}
				defer rec.Release()
				var buf bytes.Buffer
				if err := f.write(&buf, rec); err != nil {
					t.Fatal(err)
				}
				back, err := f.read(bytes.NewReader(buf.Bytes()), mem)
				if err != nil {
					t.Fatal(err)
				}
				defer back.Release()
				if back.NumRows() != int64(tb.n) {
					t.Fatalf("%d rows back, want %d", back.NumRows(), tb.n)
				}
				if md, want := back.Schema().Metadata(), rec.Schema().Metadata(); !md.Equal(want) {
					t.Fatalf("schema metadata back: %v\nwant %v", md, want)
				}
				if !back.Schema().Equal(rec.Schema()) {
					t.Fatalf("schema back:\n%v\nwant:\n%v", back.Schema(), rec.Schema())
				}
				if !array.RecordEqual(back, rec) {
					t.Fatalf("data differ after the round trip:\n%v\nwant\n%v", back, rec)
				}
				got, err := Info(back.Schema())
				if err != nil || got.Name != info.Name || got.Seed != info.Seed || len(got.Params) != 3 {
					t.Fatalf("metadata back: %+v, %v", got, err)
				}
			})
		}
	}
}

// A file of several batches (as other tools write them) reads back as one.
func TestReadSeveralBatches(t *testing.T) {
	info, trials := testStudy()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := Trials(info, trials, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	a, b := rec.NewSlice(0, 2), rec.NewSlice(2, rec.NumRows())
	defer a.Release()
	defer b.Release()
	var buf bytes.Buffer
	if err := writeIPCBatches(&buf, a, b); err != nil {
		t.Fatal(err)
	}
	back, err := ReadIPC(bytes.NewReader(buf.Bytes()), mem)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Release()
	if !array.RecordEqual(back, rec) {
		t.Fatalf("two batches read back as\n%v\nwant\n%v", back, rec)
	}
}

func TestFileErrors(t *testing.T) {
	for _, f := range formats {
		_, err := f.read(bytes.NewReader([]byte("not a file at all, just text")), nil)
		if err == nil || !strings.Contains(err.Error(), "read "+f.name) {
			t.Errorf("%s: reading garbage: %v", f.name, err)
		}
		if err := f.write(io.Discard, nil); err == nil {
			t.Errorf("%s: writing nil: no error", f.name)
		}
	}
}

// Files on disk: what the CLI and the Python package do.
func TestFilesOnDisk(t *testing.T) {
	info, trials := testStudy()
	rec, err := Trials(info, trials, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	for _, f := range formats {
		path := filepath.Join(t.TempDir(), "t."+f.name)
		out, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.write(out, rec); err != nil {
			t.Fatal(err)
		}
		if err := out.Close(); err != nil { // the writer did not close it
			t.Fatalf("%s: close: %v", f.name, err)
		}
		in, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		back, err := f.read(in, nil)
		in.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !array.RecordEqual(back, rec) {
			t.Errorf("%s: differs after a round trip through %s", f.name, path)
		}
		back.Release()
	}
}

func writeIPCBatches(w io.Writer, recs ...arrow.RecordBatch) error {
	fw, err := ipc.NewFileWriter(w, ipc.WithSchema(recs[0].Schema()))
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := fw.Write(r); err != nil {
			return err
		}
	}
	return fw.Close()
}
