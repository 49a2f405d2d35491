package sqlite_test

import (
	"testing"

	"github.com/morphml/morphml/core/store/storetest"
)

// BenchmarkStartFinish records one trial (start, one report, finish) per
// iteration, each call a durable transaction.
func BenchmarkStartFinish(b *testing.B) {
	s := openBench(b)
	id := 0
	for b.Loop() {
		must(b, s.StartTrial("bench", storetest.Running(id)))
		must(b, s.Report("bench", id, 1, 0.5))
		must(b, s.FinishTrial("bench", storetest.Finished(id)))
		id++
	}
}

// BenchmarkTrials loads a study of 1000 finished trials.
func BenchmarkTrials(b *testing.B) {
	s := openBench(b)
	for id := range 1000 {
		must(b, s.StartTrial("bench", storetest.Running(id)))
		must(b, s.FinishTrial("bench", storetest.Finished(id)))
	}
	for b.Loop() {
		if ts, err := s.Trials("bench"); err != nil || len(ts) != 1000 {
			b.Fatal(len(ts), err)
		}
	}
}
