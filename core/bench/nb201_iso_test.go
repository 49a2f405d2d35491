package bench

import (
	"compress/gzip"
	"encoding/csv"
	"io"
	"os"
	"testing"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
)

// TestNB201IsomorphismClasses checks graph.Hash against the benchmark's own
// isomorphism classes: decoding all 15,625 cells of the shipped table into
// full NAS-Bench-201 networks and hashing them must give exactly the
// partition of the iso_class column (6,466 classes).
func TestNB201IsomorphismClasses(t *testing.T) {
	f, err := os.Open("data/nb201.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(zr)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	archCol, isoCol := col["arch"], col["iso_class"]
	if head[archCol] != "arch" || head[isoCol] != "iso_class" {
		t.Fatalf("unexpected header %v", head)
	}
	sp := space.NB201(10)
	start := time.Now()
	var decode, hash time.Duration
	hashToIso := map[string]string{}
	isoToHash := map[string]string{}
	rows := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		t0 := time.Now()
		p, err := space.ParseNB201(rec[archCol])
		if err != nil {
			t.Fatal(err)
		}
		a, err := sp.Decode(p)
		if err != nil {
			t.Fatal(err)
		}
		t1 := time.Now()
		h := graph.Hash(a)
		t2 := time.Now()
		decode += t1.Sub(t0)
		hash += t2.Sub(t1)
		iso := rec[isoCol]
		if prev, ok := hashToIso[h]; ok && prev != iso {
			t.Errorf("row %d %s: hash %.12s is shared by iso classes %q and %q", rows-1, rec[archCol], h, prev, iso)
		}
		if prev, ok := isoToHash[iso]; ok && prev != h {
			t.Errorf("row %d %s: iso class %q has hashes %.12s and %.12s", rows-1, rec[archCol], iso, prev, h)
		}
		hashToIso[h] = iso
		isoToHash[iso] = h
		if t.Failed() && rows > 50 {
			break
		}
	}
	t.Logf("%d rows: decode %v, hash %v, total %v", rows, decode, hash, time.Since(start))
	if rows != 15625 {
		t.Errorf("%d rows, want 15625", rows)
	}
	if len(hashToIso) != 6466 || len(isoToHash) != 6466 {
		t.Errorf("%d distinct hashes, %d iso classes; want 6466 each", len(hashToIso), len(isoToHash))
	}
}
