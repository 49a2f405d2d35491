package results

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// benchStudy makes n NAS-Bench-201-like trials: six categorical edges of
// five ops, one objective, an architecture hash, parameter and FLOP counts
// shared by the trials of one cell (as in a real study), times.
func benchStudy(n int) (search.StudyInfo, []search.Trial) {
	sp := space.NB201(10)
	info := search.StudyInfo{Name: "bench", Optimizer: "evolution", Seed: 1,
		Directions: []search.Direction{search.Maximize}, Params: sp.Params}
	const cells = 15625
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	trials := make([]search.Trial, n)
	for i := range trials {
		// Every trial has its own slices, strings and map, as when loaded
		// from the store.
		c := rng.IntN(cells)
		p := make(space.Point, 6)
		for e, k := 0, c; e < 6; e, k = e+1, k/5 {
			p[e] = float64(k % 5)
		}
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(c))
		sum := sha256.Sum256(b[:])
		st := start.Add(time.Duration(i) * time.Millisecond)
		trials[i] = search.Trial{ID: i, Params: p, ArchHash: hex.EncodeToString(sum[:]), State: search.Complete,
			Values: []float64{80 + 14*rng.Float64()}, Started: st, Finished: st.Add(3 * time.Millisecond),
			Attrs: map[string]string{
				search.AttrArchParams: strconv.Itoa(70000 + 97*c),
				search.AttrArchFLOPs:  strconv.Itoa(8000000 + 1013*c),
			}}
	}
	return info, trials
}

// naiveCSV is the peer: the same columns, encoded as CSV text.
func naiveCSV(w io.Writer, info search.StudyInfo, trials []search.Trial) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	header := []string{"trial", "state"}
	for _, p := range info.Params {
		header = append(header, p.Name)
	}
	for i := range info.Directions {
		header = append(header, ValueColumn(i))
	}
	header = append(header, "arch_hash", "arch_params", "arch_flops", "duration_s", "worker", "started", "finished", "error", "cached_by")
	if err := cw.Write(header); err != nil {
		return err
	}
	row := make([]string, len(header))
	for _, t := range trials {
		row = row[:0]
		row = append(row, strconv.Itoa(t.ID), t.State.String())
		for i, p := range info.Params {
			row = append(row, p.Format(t.Params[i]))
		}
		for i := range info.Directions {
			v := ""
			if x := t.Value(i); !math.IsNaN(x) {
				v = strconv.FormatFloat(x, 'g', -1, 64)
			}
			row = append(row, v)
		}
		row = append(row, t.ArchHash, t.Attrs[search.AttrArchParams], t.Attrs[search.AttrArchFLOPs],
			strconv.FormatFloat(t.Duration().Seconds(), 'g', -1, 64), t.Attrs[search.AttrWorker],
			t.Started.Format(time.RFC3339Nano), t.Finished.Format(time.RFC3339Nano),
			t.Attrs[search.AttrError], t.Attrs[search.AttrCachedBy])
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// BenchmarkTrials1M builds the record batch of 1,000,000 trials and, in the
// same run, encodes the same trials as CSV: it reports trials/s for both,
// csv/arrow (how many times longer the CSV takes) and cpu-s/op, the CPU time
// of one Arrow build, which other jobs on the machine hardly change.
func BenchmarkTrials1M(b *testing.B) {
	info, trials := benchStudy(1_000_000)
	b.ReportAllocs()
	b.ResetTimer()
	var arrowT, arrowCPU, csvT time.Duration
	for b.Loop() {
		t0, c0 := time.Now(), cpuTime()
		rec, err := Trials(info, trials, nil)
		if err != nil {
			b.Fatal(err)
		}
		arrowT += time.Since(t0)
		arrowCPU += cpuTime() - c0
		b.StopTimer()
		rec.Release()
		t1 := time.Now()
		if err := naiveCSV(io.Discard, info, trials); err != nil {
			b.Fatal(err)
		}
		csvT += time.Since(t1)
		b.StartTimer()
	}
	n := float64(b.N) * float64(len(trials))
	b.ReportMetric(n/arrowT.Seconds(), "trials/s")
	b.ReportMetric(n/csvT.Seconds(), "csv-trials/s")
	b.ReportMetric(csvT.Seconds()/arrowT.Seconds(), "csv/arrow")
	if arrowCPU > 0 {
		b.ReportMetric(arrowCPU.Seconds()/float64(b.N), "cpu-s/op")
	}
}

// BenchmarkCurves1M: 100,000 trials of 10 steps each.
func BenchmarkCurves1M(b *testing.B) {
	info, trials := benchStudy(100_000)
	for i := range trials {
		trials[i].Curve = make([]search.Step, 10)
		for s := range trials[i].Curve {
			trials[i].Curve[s] = search.Step{Step: s, Value: float64(s)}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		rec, err := Curves(info, trials, nil)
		if err != nil {
			b.Fatal(err)
		}
		rec.Release()
	}
	b.ReportMetric(float64(b.N)*1e6/b.Elapsed().Seconds(), "steps/s")
}
