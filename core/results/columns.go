package results

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// column builds one or more columns of the trials table, a row at a time,
// into builders sized for every row up front. The parameter columns are
// resolved once (index, kind, dictionary), and the trial attributes are read
// in one pass over each trial's map, so a row costs a few slice reads.
type column interface {
	append(t *search.Trial)
	finish(out []arrow.Array) error // sets its columns of out
	release()
	cost() int // relative time per row, to share columns between workers
}

// newTrialColumns returns the builders of the TrialsSchema columns; their
// positions follow TrialsSchema.
func newTrialColumns(info search.StudyInfo, mem memory.Allocator, n, hashLen int) []column {
	at := 0
	next := func() int { at++; return at - 1 }
	cols := []column{
		newFixedCol[int64](mem, arrow.PrimitiveTypes.Int64, n, next(), func(t *search.Trial) (int64, bool) { return int64(t.ID), true }),
		newDictCol[int8](mem, n, next(), stateType, stateNames,
			func(t *search.Trial) (int, bool) { return int(t.State), true }),
	}
	for i, p := range info.Params {
		cols = append(cols, newParamCol(mem, n, next(), i, p))
	}
	for i := range info.Directions {
		cols = append(cols, newFixedCol[float64](mem, arrow.PrimitiveTypes.Float64, n, next(), func(t *search.Trial) (float64, bool) {
			if i < len(t.Values) && !math.IsNaN(t.Values[i]) {
				return t.Values[i], true
			}
			return 0, false
		}))
	}
	hash := &hashCol{b: array.NewStringBuilder(mem), at: next()}
	hash.b.Reserve(n)
	hash.b.ReserveData(n * hashLen) // hashes have one length; Append grows it if not
	attrs := newAttrsCol(mem, n)
	attrs.at[0], attrs.at[1] = next(), next() // arch_params, arch_flops
	duration := newFixedCol[float64](mem, arrow.PrimitiveTypes.Float64, n, next(), func(t *search.Trial) (float64, bool) {
		if t.Finished.IsZero() {
			return 0, false
		}
		return t.Finished.Sub(t.Started).Seconds(), true
	})
	attrs.at[2] = next() // worker
	started := newTimeCol(mem, n, next(), func(t *search.Trial) (int64, bool) { return t.Started.UnixNano(), !t.Started.IsZero() })
	finished := newTimeCol(mem, n, next(), func(t *search.Trial) (int64, bool) { return t.Finished.UnixNano(), !t.Finished.IsZero() })
	attrs.at[3], attrs.at[4] = next(), next() // error, cached_by
	return append(cols, hash, attrs, duration, started, finished)
}

func newParamCol(mem memory.Allocator, n, at, i int, p space.Param) column {
	value := func(t *search.Trial) (float64, bool) {
		if i < len(t.Params) && !math.IsNaN(t.Params[i]) {
			return t.Params[i], true
		}
		return 0, false
	}
	switch p.Kind {
	case space.Categorical:
		typ := &arrow.DictionaryType{IndexType: indexType(len(p.Choices)), ValueType: arrow.BinaryTypes.String}
		idx := func(t *search.Trial) (int, bool) {
			v, ok := value(t)
			if !ok || v != math.Trunc(v) || v < 0 || v >= float64(len(p.Choices)) {
				return 0, false
			}
			return int(v), true
		}
		switch typ.IndexType.ID() {
		case arrow.INT8:
			return newDictCol[int8](mem, n, at, typ, p.Choices, idx)
		case arrow.INT16:
			return newDictCol[int16](mem, n, at, typ, p.Choices, idx)
		}
		return newDictCol[int32](mem, n, at, typ, p.Choices, idx)
	case space.Int:
		return newFixedCol[int64](mem, arrow.PrimitiveTypes.Int64, n, at, func(t *search.Trial) (int64, bool) {
			v, ok := value(t)
			return int64(v), ok
		})
	}
	return newFixedCol[float64](mem, arrow.PrimitiveTypes.Float64, n, at, value)
}

// workers is how many goroutines fill the columns of n rows.
func workers(n int) int {
	if n < 50_000 {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 4)
}

// fill appends every trial to every column. With several workers each one
// fills a share of the columns (by cost) over all the rows: the builders are
// disjoint, so nothing is shared but the read-only trials.
func fill(trials []search.Trial, cols []column, workers int) error {
	groups := share(cols, workers)
	errs := make([]error, len(groups))
	var wg sync.WaitGroup
	for g, group := range groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[g] = fmt.Errorf("building the columns: %v", p)
				}
			}()
			for i := range trials {
				t := &trials[i]
				for _, c := range group {
					c.append(t)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// share splits cols into at most k groups of about equal cost (the largest
// first, each to the cheapest group so far).
func share(cols []column, k int) [][]column {
	k = max(1, min(k, len(cols)))
	order := append([]column(nil), cols...)
	sort.SliceStable(order, func(i, j int) bool { return order[i].cost() > order[j].cost() })
	groups := make([][]column, k)
	load := make([]int, k)
	for _, c := range order {
		g := 0
		for j := range load {
			if load[j] < load[g] {
				g = j
			}
		}
		groups[g] = append(groups[g], c)
		load[g] += c.cost()
	}
	return groups
}

// fixedCol is a fixed-width column filled through get.
type fixedCol[T arrow.FixedWidthType] struct {
	b   *fixedBuf[T]
	at  int
	get func(t *search.Trial) (T, bool)
}

func newFixedCol[T arrow.FixedWidthType](mem memory.Allocator, typ arrow.DataType, n, at int, get func(t *search.Trial) (T, bool)) *fixedCol[T] {
	return &fixedCol[T]{b: newFixedBuf[T](mem, typ, n), at: at, get: get}
}

func (c *fixedCol[T]) append(t *search.Trial) {
	if v, ok := c.get(t); ok {
		c.b.set(v)
	} else {
		c.b.setNull()
	}
}

func (c *fixedCol[T]) finish(out []arrow.Array) error { out[c.at] = c.b.newArray(); return nil }
func (c *fixedCol[T]) release()                       { c.b.release() }
func (c *fixedCol[T]) cost() int                      { return 2 }

func newTimeCol(mem memory.Allocator, n, at int, get func(t *search.Trial) (int64, bool)) column {
	return newFixedCol[arrow.Timestamp](mem, tsUTC, n, at, func(t *search.Trial) (arrow.Timestamp, bool) {
		v, ok := get(t)
		return arrow.Timestamp(v), ok
	})
}

type hashCol struct {
	b  *array.StringBuilder
	at int
}

func (c *hashCol) append(t *search.Trial) {
	if t.ArchHash == "" {
		c.b.AppendNull()
	} else {
		c.b.Append(t.ArchHash)
	}
}

func (c *hashCol) finish(out []arrow.Array) error { out[c.at] = c.b.NewArray(); return nil }
func (c *hashCol) release()                       { c.b.Release() }
func (c *hashCol) cost() int                      { return 5 }

// attrKeys are the attributes attrsCol reads, the most frequent first.
var attrKeys = [...]string{aParams: search.AttrArchParams, aFLOPs: search.AttrArchFLOPs, aError: search.AttrError,
	aCachedBy: search.AttrCachedBy, aWorker: search.AttrWorker}

const (
	aParams = iota
	aFLOPs
	aError
	aCachedBy
	aWorker
)

// attrsCol builds the five columns read from trial attributes. A number that does not parse is remembered and
// reported by finish.
type attrsCol struct {
	params, flops, cachedBy *fixedBuf[int64]
	worker, errs            *array.StringBuilder
	at                      [5]int // arch_params, arch_flops, worker, error, cached_by
	err                     error
}

func newAttrsCol(mem memory.Allocator, n int) *attrsCol {
	i64 := arrow.PrimitiveTypes.Int64
	c := &attrsCol{params: newFixedBuf[int64](mem, i64, n), flops: newFixedBuf[int64](mem, i64, n),
		cachedBy: newFixedBuf[int64](mem, i64, n), worker: array.NewStringBuilder(mem), errs: array.NewStringBuilder(mem)}
	c.worker.Reserve(n)
	c.errs.Reserve(n)
	return c
}

func (c *attrsCol) append(t *search.Trial) {
	var vals [len(attrKeys)]string
	var has [len(attrKeys)]bool
	// Look the keys up, the common ones first, until every attribute of the
	// trial is accounted for: most trials have two, the counts.
	if m := t.Attrs; len(m) > 0 {
		found := 0
		for i, key := range attrKeys {
			if vals[i], has[i] = m[key]; has[i] {
				found++
				if found == len(m) {
					break
				}
			}
		}
	}
	c.appendInt(c.params, t.ID, aParams, vals[aParams], has[aParams])
	c.appendInt(c.flops, t.ID, aFLOPs, vals[aFLOPs], has[aFLOPs])
	appendString(c.worker, vals[aWorker], has[aWorker])
	appendString(c.errs, vals[aError], has[aError])
	c.appendInt(c.cachedBy, t.ID, aCachedBy, vals[aCachedBy], has[aCachedBy])
}

func (c *attrsCol) appendInt(b *fixedBuf[int64], id, key int, s string, ok bool) {
	if ok {
		v, err := strconv.Atoi(s) // faster than ParseInt for what fits an int
		if err == nil {
			b.set(int64(v))
			return
		}
		if v, err := strconv.ParseInt(s, 10, 64); err == nil { // 32-bit ints
			b.set(v)
			return
		}
		if c.err == nil {
			c.err = fmt.Errorf("trial %d: attribute %s=%q is not an integer", id, attrKeys[key], s)
		}
	}
	b.setNull()
}

func appendString(b *array.StringBuilder, s string, ok bool) {
	if ok {
		b.Append(s)
	} else {
		b.AppendNull()
	}
}

func (c *attrsCol) finish(out []arrow.Array) error {
	if c.err != nil {
		return c.err
	}
	out[c.at[0]], out[c.at[1]] = c.params.newArray(), c.flops.newArray()
	out[c.at[2]], out[c.at[3]] = c.worker.NewArray(), c.errs.NewArray()
	out[c.at[4]] = c.cachedBy.newArray()
	return nil
}

func (c *attrsCol) release() {
	c.params.release()
	c.flops.release()
	c.cachedBy.release()
	c.worker.Release()
	c.errs.Release()
}

func (c *attrsCol) cost() int { return 10 }

// dictCol is a dictionary-encoded column whose dictionary is known up front
// (a parameter's choices, the state names): the index is the encoded value
// itself, so no row is hashed.
type dictCol[T int8 | int16 | int32] struct {
	idx   *fixedBuf[T]
	at    int
	typ   *arrow.DictionaryType
	dict  []string
	mem   memory.Allocator
	index func(t *search.Trial) (int, bool)
}

func newDictCol[T int8 | int16 | int32](mem memory.Allocator, n, at int, typ *arrow.DictionaryType, dict []string,
	index func(t *search.Trial) (int, bool)) *dictCol[T] {
	return &dictCol[T]{idx: newFixedBuf[T](mem, typ.IndexType, n), at: at, typ: typ, dict: dict, mem: mem, index: index}
}

func (c *dictCol[T]) append(t *search.Trial) {
	if i, ok := c.index(t); ok && i >= 0 && i < len(c.dict) {
		c.idx.set(T(i))
	} else {
		c.idx.setNull()
	}
}

func (c *dictCol[T]) finish(out []arrow.Array) error {
	sb := array.NewStringBuilder(c.mem)
	defer sb.Release()
	sb.AppendValues(c.dict, nil)
	dict := sb.NewArray()
	defer dict.Release()
	idx := c.idx.newArray()
	defer idx.Release()
	out[c.at] = array.NewDictionaryArray(c.typ, idx, dict)
	return nil
}

func (c *dictCol[T]) release()  { c.idx.release() }
func (c *dictCol[T]) cost() int { return 2 }
