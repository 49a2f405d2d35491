//go:build cgo

package results

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/arrow/memory/mallocator"
)

func TestExportC(t *testing.T) {
	info, trials := testStudy()
	cases := []struct {
		name     string
		alloc    func() memory.Allocator
		imported bool
	}{
		{"C memory, imported", func() memory.Allocator { return CAllocator() }, true},
		{"C memory, never imported", func() memory.Allocator { return CAllocator() }, false},
		{"Go memory, imported", func() memory.Allocator { return memory.NewGoAllocator() }, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := c.alloc()
			mem := memory.NewCheckedAllocator(base)
			rec, err := Trials(info, trials, mem)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Trials(info, trials, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer want.Release()
			exp, err := ExportC(rec)
			if err != nil {
				t.Fatal(err)
			}
			rec.Release() // the export holds its own reference
			if mem.CurrentAlloc() == 0 {
				t.Fatal("the data was freed while exported")
			}
			if exp.Array == 0 || exp.Schema == 0 {
				t.Fatalf("export: %+v", exp)
			}
			if c.imported {
				back, err := ImportC(exp.Array, exp.Schema)
				if err != nil {
					t.Fatal(err)
				}
				if !back.Schema().Equal(want.Schema()) || !back.Schema().Metadata().Equal(want.Schema().Metadata()) {
					t.Errorf("schema through C:\n%v\nwant\n%v", back.Schema(), want.Schema())
				}
				if !array.RecordEqual(back, want) {
					t.Errorf("data through C differ:\n%v\nwant\n%v", back, want)
				}
				back.Release()
			}
			exp.Release()
			exp.Release() // a second call does nothing
			mem.AssertSize(t, 0)
			if m, ok := base.(*mallocator.Mallocator); ok && m.AllocatedBytes() != 0 {
				t.Errorf("malloc balance %d bytes after Release", m.AllocatedBytes())
			}
		})
	}
}

func TestExportCErrors(t *testing.T) {
	if _, err := ExportC(nil); err == nil {
		t.Error("ExportC(nil): no error")
	}
	if _, err := ImportC(0, 0); err == nil {
		t.Error("ImportC(0, 0): no error")
	}
}
