package results

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testStudy has every kind of parameter, two objectives and a trial in every
// state, with and without the optional attributes.
func testStudy() (search.StudyInfo, []search.Trial) {
	info := search.StudyInfo{
		Name: "t", Optimizer: "evolution", Seed: 7,
		Directions: []search.Direction{search.Maximize, search.Minimize},
		Params: []space.Param{
			space.NewCategorical("op", "conv", "pool", "skip"),
			space.NewInt("units", 16, 256, true),
			space.NewFloat("lr", 1e-4, 1e-1, true),
		},
		Attrs: map[string]string{"dataset": "cifar10"},
	}
	trials := []search.Trial{
		{ID: 0, Params: space.Point{0, 32, 0.01}, ArchHash: "aa", State: search.Complete, Values: []float64{91.5, 1.25},
			Attrs:   map[string]string{search.AttrArchParams: "1000", search.AttrArchFLOPs: "20000", search.AttrWorker: "w1"},
			Started: t0, Finished: t0.Add(1500 * time.Millisecond)},
		{ID: 1, Params: space.Point{2, 64, 0.001}, ArchHash: "bb", State: search.Pruned,
			Curve:   []search.Step{{Step: 1, Value: 50}, {Step: 2, Value: math.NaN()}},
			Started: t0.Add(time.Second), Finished: t0.Add(3 * time.Second)},
		{ID: 2, Params: space.Point{1, 16, 0.1}, State: search.Failed,
			Attrs:   map[string]string{search.AttrError: "boom <&>", search.AttrInfeasible: "true"},
			Started: t0.Add(2 * time.Second), Finished: t0.Add(2 * time.Second)},
		{ID: 3, Params: space.Point{0, 32, 0.01}, ArchHash: "aa", State: search.Complete, Values: []float64{91.5, math.NaN()},
			Attrs:   map[string]string{search.AttrCachedBy: "0"},
			Started: t0.Add(3 * time.Second), Finished: t0.Add(3 * time.Second)},
		{ID: 4, Params: space.Point{7, 100}, State: search.Running, Started: t0.Add(4 * time.Second)},
	}
	return info, trials
}

// cell renders row i of a column as text ("null" for a null), so the tests
// can compare any column type with one table.
func cell(t *testing.T, rec arrow.RecordBatch, name string, i int) string {
	t.Helper()
	idx := rec.Schema().FieldIndices(name)
	if len(idx) != 1 {
		t.Fatalf("column %q: found %d times in %v", name, len(idx), rec.Schema())
	}
	col := rec.Column(idx[0])
	if col.IsNull(i) {
		return "null"
	}
	if ts, ok := col.(*array.Timestamp); ok {
		return ts.Value(i).ToTime(arrow.Nanosecond).UTC().Format(time.RFC3339Nano)
	}
	return col.ValueStr(i)
}

func TestTrialsColumns(t *testing.T) {
	info, trials := testStudy()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := Trials(info, trials, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()

	wantFields := []string{"trial", "state", "op", "units", "lr", "value_0", "value_1", "arch_hash", "arch_params",
		"arch_flops", "duration_s", "worker", "started", "finished", "error", "cached_by"}
	var got []string
	for _, f := range rec.Schema().Fields() {
		got = append(got, f.Name)
	}
	if !reflect.DeepEqual(got, wantFields) {
		t.Fatalf("columns %v, want %v", got, wantFields)
	}
	wantTypes := map[string]string{
		"trial": "int64", "state": "dictionary<values=utf8, indices=int8, ordered=false>",
		"op": "dictionary<values=utf8, indices=int8, ordered=false>", "units": "int64", "lr": "float64",
		"value_0": "float64", "arch_hash": "utf8", "arch_params": "int64", "duration_s": "float64",
		"worker": "utf8", "started": "timestamp[ns, tz=UTC]", "cached_by": "int64",
	}
	for name, typ := range wantTypes {
		f, _ := rec.Schema().FieldsByName(name)
		if len(f) != 1 || f[0].Type.String() != typ {
			t.Errorf("column %s: type %v, want %s", name, f, typ)
		}
	}
	if rec.NumRows() != int64(len(trials)) {
		t.Fatalf("%d rows, want %d", rec.NumRows(), len(trials))
	}

	cases := []struct {
		col  string
		want []string // one per trial
	}{
		{"trial", []string{"0", "1", "2", "3", "4"}},
		{"state", []string{"complete", "pruned", "failed", "complete", "running"}},
		{"op", []string{"conv", "skip", "pool", "conv", "null"}}, // 7 is no choice
		{"units", []string{"32", "64", "16", "32", "100"}},
		{"lr", []string{"0.01", "0.001", "0.1", "0.01", "null"}}, // point too short
		{"value_0", []string{"91.5", "null", "null", "91.5", "null"}},
		{"value_1", []string{"1.25", "null", "null", "null", "null"}}, // NaN is null
		{"arch_hash", []string{"aa", "bb", "null", "aa", "null"}},
		{"arch_params", []string{"1000", "null", "null", "null", "null"}},
		{"arch_flops", []string{"20000", "null", "null", "null", "null"}},
		{"duration_s", []string{"1.5", "2", "0", "0", "null"}},
		{"worker", []string{"w1", "null", "null", "null", "null"}},
		{"started", []string{"2026-03-01T12:00:00Z", "2026-03-01T12:00:01Z", "2026-03-01T12:00:02Z", "2026-03-01T12:00:03Z", "2026-03-01T12:00:04Z"}},
		{"finished", []string{"2026-03-01T12:00:01.5Z", "2026-03-01T12:00:03Z", "2026-03-01T12:00:02Z", "2026-03-01T12:00:03Z", "null"}},
		{"error", []string{"null", "null", "boom <&>", "null", "null"}},
		{"cached_by", []string{"null", "null", "null", "0", "null"}},
	}
	for _, c := range cases {
		for i, want := range c.want {
			if got := cell(t, rec, c.col, i); got != want {
				t.Errorf("%s[%d] = %s, want %s", c.col, i, got, want)
			}
		}
	}
}

func TestTrialsErrors(t *testing.T) {
	info, trials := testStudy()
	cases := []struct {
		name   string
		mutate func(*search.StudyInfo, []search.Trial)
		want   string
	}{
		{"bad attr", func(_ *search.StudyInfo, ts []search.Trial) {
			ts[1].Attrs = map[string]string{search.AttrArchFLOPs: "many"}
		}, `study "t": trial 1: attribute arch_flops="many" is not an integer`},
		{"bad cached_by", func(_ *search.StudyInfo, ts []search.Trial) {
			ts[2].Attrs = map[string]string{search.AttrCachedBy: "x"}
		}, `trial 2: attribute cached_by="x"`},
		{"bad kind", func(in *search.StudyInfo, _ []search.Trial) {
			in.Params = append([]space.Param(nil), in.Params...)
			in.Params[1].Kind = 9
		}, `parameter "units": unknown kind`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := info
			ts := make([]search.Trial, len(trials))
			for i := range trials {
				ts[i] = trials[i].Clone()
			}
			c.mutate(&in, ts)
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			rec, err := Trials(in, ts, mem)
			if err == nil {
				rec.Release()
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestParamColumnNames(t *testing.T) {
	info := search.StudyInfo{Name: "n", Directions: []search.Direction{search.Maximize}, Params: []space.Param{
		space.NewCategorical("state", "a", "b"), space.NewFloat("value_0", 0, 1, false), space.NewInt("value_1", 0, 3, false),
		space.NewCategorical("wide", manyChoices(200)...), space.NewCategorical("huge", manyChoices(40000)...),
		space.NewFloat("param_state", 0, 1, false),
	}}
	schema, err := TrialsSchema(info)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ col, typ string }{
		{"param_state", "dictionary<values=utf8, indices=int8, ordered=false>"},
		{"param_value_0", "float64"},
		{"value_1", "int64"}, // one objective: value_1 is free
		{"wide", "dictionary<values=utf8, indices=int16, ordered=false>"},
		{"huge", "dictionary<values=utf8, indices=int32, ordered=false>"},
		{"param_param_state", "float64"}, // "param_state" is taken
	}
	for _, c := range cases {
		f, ok := schema.FieldsByName(c.col)
		if !ok || len(f) != 1 || f[0].Type.String() != c.typ {
			t.Errorf("column %s: %v, want one of type %s", c.col, f, c.typ)
		}
	}
	pts := []search.Trial{{ID: 0, Params: space.Point{1, 0.5, 2, 150, 39999, 0.25}}}
	rec, err := Trials(info, pts, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	for col, want := range map[string]string{"param_state": "b", "wide": "c150", "huge": "c39999", "value_1": "2", "param_param_state": "0.25"} {
		if got := cell(t, rec, col, 0); got != want {
			t.Errorf("%s = %s, want %s", col, got, want)
		}
	}
}

func manyChoices(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "c" + strconv.Itoa(i)
	}
	return out
}

func TestInfoRoundTrip(t *testing.T) {
	info, _ := testStudy()
	for _, mk := range []func(search.StudyInfo) (*arrow.Schema, error){TrialsSchema, CurvesSchema} {
		schema, err := mk(info)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Info(schema)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, info) {
			t.Errorf("Info = %+v\nwant %+v", got, info)
		}
	}
	if _, err := Info(arrow.NewSchema(nil, nil)); err == nil || !strings.Contains(err.Error(), "not a MorphML table") {
		t.Errorf("Info of a bare schema: %v", err)
	}
	md := arrow.NewMetadata([]string{MetaVersion}, []string{"99"})
	if _, err := Info(arrow.NewSchema(nil, &md)); err == nil || !strings.Contains(err.Error(), `version "99"`) {
		t.Errorf("Info of a future layout: %v", err)
	}
}

func TestCurves(t *testing.T) {
	info, trials := testStudy()
	trials[0].Curve = []search.Step{{Step: 0, Value: 10}}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := Curves(info, trials, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	want := [][3]string{{"0", "0", "10"}, {"1", "1", "50"}, {"1", "2", "null"}}
	if rec.NumRows() != int64(len(want)) {
		t.Fatalf("%d rows, want %d", rec.NumRows(), len(want))
	}
	for i, w := range want {
		got := [3]string{cell(t, rec, "trial", i), cell(t, rec, "step", i), cell(t, rec, "value", i)}
		if got != w {
			t.Errorf("row %d = %v, want %v", i, got, w)
		}
	}
	if md := rec.Schema().Metadata(); md.Values()[md.FindKey(MetaTable)] != "curves" {
		t.Errorf("metadata %v", md)
	}
}

func TestEmptyStudy(t *testing.T) {
	info, _ := testStudy()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, mk := range []func(search.StudyInfo, []search.Trial, memory.Allocator) (arrow.RecordBatch, error){Trials, Curves} {
		rec, err := mk(info, nil, mem)
		if err != nil {
			t.Fatal(err)
		}
		if rec.NumRows() != 0 || rec.NumCols() == 0 {
			t.Errorf("empty study: %d rows, %d columns", rec.NumRows(), rec.NumCols())
		}
		rec.Release()
	}
}

// Columns shared between goroutines give the same table as one goroutine.
func TestTrialsParallel(t *testing.T) {
	info, trials := benchStudy(3000)
	_, more := testStudy()
	trials = append(trials, more...) // nulls, errors, other states
	for i := range trials {
		trials[i].ID = i
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	one, err := buildTrials(info, trials, mem, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Release()
	for _, k := range []int{2, 3, 40} {
		rec, err := buildTrials(info, trials, mem, k)
		if err != nil {
			t.Fatal(err)
		}
		if !array.RecordEqual(one, rec) {
			t.Errorf("%d goroutines: the table differs from one goroutine's", k)
		}
		rec.Release()
	}
}

func TestShare(t *testing.T) {
	info, _ := testStudy()
	cols := newTrialColumns(info, memory.NewGoAllocator(), 0, 0)
	defer func() {
		for _, c := range cols {
			c.release()
		}
	}()
	total, heaviest := 0, 0
	for _, c := range cols {
		total += c.cost()
		heaviest = max(heaviest, c.cost())
	}
	for _, k := range []int{1, 2, 3, 100} {
		groups := share(cols, k)
		if want := min(k, len(cols)); len(groups) != want {
			t.Errorf("k=%d: %d groups, want %d", k, len(groups), want)
		}
		n, worst := 0, 0
		for _, g := range groups {
			load := 0
			for _, c := range g {
				load += c.cost()
			}
			n += len(g)
			worst = max(worst, load)
		}
		if n != len(cols) {
			t.Errorf("k=%d: %d columns shared, want %d", k, n, len(cols))
		}
		// Greedy: no group exceeds the mean load by more than one column.
		if worst > total/len(groups)+heaviest {
			t.Errorf("k=%d: the heaviest group costs %d of %d", k, worst, total)
		}
	}
}
