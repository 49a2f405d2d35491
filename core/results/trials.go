package results

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/morphml/morphml/core/search"
)

// Trials returns a study's trials as one record batch, one row per trial in
// the order given, with the schema of TrialsSchema:
//
//	trial        int64
//	state        dictionary<int8, string>: running, complete, pruned, failed
//	<parameter>  categorical: dictionary<int8|int16|int32, string> whose
//	             dictionary is the parameter's choices in order (pandas: a
//	             category column); int: int64; float: float64. Null when the
//	             trial has no legal value for it.
//	value_<i>    float64 per objective; null when missing or NaN
//	arch_hash    string, null without an architecture
//	arch_params  int64, arch_flops int64 (trial attributes), null if absent
//	duration_s   float64, null while running
//	worker       string, null if absent
//	started      timestamp[ns, UTC], finished timestamp[ns, UTC] (null if unset)
//	error        string, null unless the trial failed with a message
//	cached_by    int64: the trial whose result was reused, null if none
//
// mem allocates the arrays (nil: memory.DefaultAllocator); the caller
// releases the batch. An attribute that should be a number and is not is an
// error naming the trial.
func Trials(info search.StudyInfo, trials []search.Trial, mem memory.Allocator) (arrow.RecordBatch, error) {
	return buildTrials(info, trials, mem, workers(len(trials)))
}

// buildTrials is Trials with the columns shared between k goroutines.
func buildTrials(info search.StudyInfo, trials []search.Trial, mem memory.Allocator, k int) (arrow.RecordBatch, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	schema, err := TrialsSchema(info)
	if err != nil {
		return nil, err
	}
	n := len(trials)
	hashLen := 0
	if n > 0 {
		hashLen = len(trials[0].ArchHash)
	}
	cols := newTrialColumns(info, mem, n, hashLen)
	defer func() {
		for _, c := range cols {
			c.release()
		}
	}()
	if err := fill(trials, cols, k); err != nil {
		return nil, fmt.Errorf("study %q: %w", info.Name, err)
	}
	out := make([]arrow.Array, schema.NumFields())
	defer func() {
		for _, a := range out {
			if a != nil {
				a.Release()
			}
		}
	}()
	for _, c := range cols {
		if err := c.finish(out); err != nil {
			return nil, fmt.Errorf("study %q: %w", info.Name, err)
		}
	}
	return array.NewRecordBatch(schema, out, int64(n)), nil
}

// Curves returns every trial's intermediate values as one record batch
// (trial int64, step int64, value float64; NaN values are null), ordered by
// trial and then in the order reported.
func Curves(info search.StudyInfo, trials []search.Trial, mem memory.Allocator) (arrow.RecordBatch, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	schema, err := CurvesSchema(info)
	if err != nil {
		return nil, err
	}
	n := 0
	for i := range trials {
		n += len(trials[i].Curve)
	}
	ids, steps := array.NewInt64Builder(mem), array.NewInt64Builder(mem)
	vals := array.NewFloat64Builder(mem)
	defer ids.Release()
	defer steps.Release()
	defer vals.Release()
	ids.Reserve(n)
	steps.Reserve(n)
	vals.Reserve(n)
	for i := range trials {
		id := int64(trials[i].ID)
		for _, s := range trials[i].Curve {
			ids.UnsafeAppend(id)
			steps.UnsafeAppend(int64(s.Step))
			if math.IsNaN(s.Value) {
				vals.UnsafeAppendBoolToBitmap(false)
			} else {
				vals.UnsafeAppend(s.Value)
			}
		}
	}
	arrs := []arrow.Array{ids.NewArray(), steps.NewArray(), vals.NewArray()}
	defer func() {
		for _, a := range arrs {
			a.Release()
		}
	}()
	return array.NewRecordBatch(schema, arrs, int64(n)), nil
}
