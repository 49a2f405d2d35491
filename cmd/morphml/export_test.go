package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/morphml/morphml/core/results"
	"github.com/morphml/morphml/core/results/parquetfile"
)

// readTable reads an exported Arrow or Parquet file back with core/results.
func readTable(t *testing.T, path string, mem memory.Allocator) arrow.RecordBatch {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	read := parquetfile.Read
	if strings.HasSuffix(path, ".arrow") {
		read = results.ReadIPC
	}
	rec, err := read(f, mem)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rec
}

func TestExportArrowParquet(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "e.db")
	if out, errOut, code := morphml(t, "run", nb201Example, "--db", db, "--study", "demo", "-q"); code != 0 {
		t.Fatalf("run: code %d\n%s\n%s", code, out, errOut)
	}
	cases := []struct {
		name    string
		args    []string // after "export demo --db DB"
		file    string
		rows    int64 // -1: any
		columns []string
	}{
		{"parquet", []string{"--format", "parquet"}, "t.parquet", 100,
			[]string{"trial", "state", "edge_1_0", "edge_3_2", "value_0", "arch_hash", "arch_params", "arch_flops", "duration_s", "started", "finished", "cached_by"}},
		{"arrow by extension", nil, "t.arrow", 100, []string{"trial", "state", "edge_2_1", "value_0"}},
		{"curves parquet", []string{"--curves", "--format", "parquet"}, "c.parquet", -1, []string{"trial", "step", "value"}},
		{"curves arrow", []string{"--curves"}, "c.arrow", -1, []string{"trial", "step", "value"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			args := append([]string{"export", "demo", "--db", db, "-o", path}, c.args...)
			if out, errOut, code := morphml(t, args...); code != 0 || out != "" {
				t.Fatalf("export: code %d, stdout %q\n%s", code, out, errOut)
			}
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			rec := readTable(t, path, mem)
			defer rec.Release()
			if c.rows >= 0 && rec.NumRows() != c.rows {
				t.Errorf("%d rows, want %d", rec.NumRows(), c.rows)
			}
			for _, col := range c.columns {
				if idx := rec.Schema().FieldIndices(col); len(idx) != 1 {
					t.Errorf("no column %q in %v", col, rec.Schema())
				} else if col == "arch_params" && rec.Column(idx[0]).NullN() != 0 {
					t.Errorf("arch_params has %d nulls", rec.Column(idx[0]).NullN())
				}
			}
			info, err := results.Info(rec.Schema())
			if err != nil || info.Name != "demo" || info.Optimizer != "evolution" || len(info.Params) != 6 {
				t.Errorf("study settings in the file: %+v, %v", info, err)
			}
		})
	}

	// The curves as text: the same rows as the Parquet table.
	out, _, code := morphml(t, "export", "demo", "--db", db, "--curves")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	curves := readTable(t, filepath.Join(dir, "c.parquet"), nil)
	defer curves.Release()
	if code != 0 || lines[0] != "trial,step,value" || int64(len(lines)-1) != curves.NumRows() {
		t.Errorf("export --curves csv: code %d, %d lines for %d steps", code, len(lines), curves.NumRows())
	}
	out, _, code = morphml(t, "export", "demo", "--db", db, "--curves", "--format", "json")
	if code != 0 || !strings.Contains(out, `"curves": [`) || strings.Count(out, `"step":`) != int(curves.NumRows()) {
		t.Errorf("export --curves json: code %d\n%.300s", code, out)
	}

	// A binary format into a pipe with -o -; without it, refused.
	out, _, code = morphml(t, "export", "demo", "--db", db, "--format", "parquet", "-o", "-")
	if code != 0 || !strings.HasPrefix(out, "PAR1") {
		t.Errorf("parquet to a pipe: code %d, %.8q", code, out)
	}
	errCases := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "arrow"}, "give -o FILE"},
		{[]string{"--format", "xml"}, `unknown export format "xml"`},
		{[]string{"-o", filepath.Join(dir, "no", "such", "dir", "x.parquet")}, "no such file or directory"},
	}
	for _, c := range errCases {
		args := append([]string{"export", "demo", "--db", db}, c.args...)
		if _, errOut, code := morphml(t, args...); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("morphml %v: code %d, %q; want an error with %q", c.args, code, errOut, c.want)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestCheckBinaryTarget(t *testing.T) {
	cases := []struct {
		out      string
		given    bool
		terminal bool
		want     string // "" for no error
	}{
		{"x.parquet", true, true, ""},
		{"x.parquet", true, false, ""},
		{"-", false, false, "give -o FILE"},
		{"-", false, true, "give -o FILE"},
		{"-", true, false, ""},
		{"-", true, true, "refusing to write binary parquet to a terminal"},
		{"", true, true, "terminal"},
	}
	for _, c := range cases {
		err := checkBinaryTarget("parquet", c.out, c.given, c.terminal)
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("checkBinaryTarget(%q, given %v, terminal %v) = %v, want %q", c.out, c.given, c.terminal, err, c.want)
		}
	}
}

func TestFormatOfPath(t *testing.T) {
	for path, want := range map[string]string{
		"a.parquet": "parquet", "a.PQ": "parquet", "a.arrow": "arrow", "a.feather": "arrow",
		"x/a.csv": "csv", "a.json": "json", "a.txt": "", "-": "", "": "",
	} {
		if got := formatOfPath(path); got != want {
			t.Errorf("formatOfPath(%q) = %q, want %q", path, got, want)
		}
	}
}
