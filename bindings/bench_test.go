package bindings

import (
	"encoding/json"
	"testing"
	"time"
)

// BenchmarkTrialsArrow1M times the export of a million-trial study (the
// Go half of study.trials_dataframe()).
func BenchmarkTrialsArrow1M(b *testing.B) {
	h := int(decode(&testing.T{}, NewStudy(hpoSource, "b.morph", `{"optimizer":"random","seed":1}`))["handle"].(float64))
	defer Close(h)
	s, _ := lookup(h)
	for i := 0; i < 1_000_000; i++ {
		t, _ := s.st.Ask()
		s.st.Tell(t.ID, []float64{float64(i)}, nil)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		trials := s.st.Trials()
		t1 := time.Now()
		var m map[string]any
		json.Unmarshal([]byte(TrialsArrow(h, false)), &m)
		t2 := time.Now()
		ReleaseArrow(int(m["export"].(float64)))
		b.ReportMetric(t1.Sub(t0).Seconds(), "clone-s")
		b.ReportMetric(t2.Sub(t1).Seconds(), "export-s")
		_ = trials
	}
}
