package storetest

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// extremes are float64 values a store must keep bit for bit (besides NaN
// and ±Inf, which other tests use).
var extremes = []float64{
	math.MaxFloat64, -math.MaxFloat64,
	math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
	2.2250738585072014e-308, // smallest normal
	1e308, -1e-300, 0.1, 1.0 / 3, math.Pi,
	1<<53 - 1, -(1<<53 - 1), 1e15 + 0.3, 123456789.123456789,
}

func testLargeValues(t *testing.T, s search.Storage) {
	info := Study("large")
	info.Seed = math.MinInt64
	info.Source = strings.Repeat("layer conv3x3 filters=64\n", 10000)
	many := make([]string, 1000)
	for i := range many {
		many[i] = fmt.Sprintf("choice-%04d", i)
	}
	info.Params = append(info.Params, space.NewCategorical("many", many...),
		space.NewFloat("wide", -math.MaxFloat64, math.MaxFloat64, false))
	for i := range 500 {
		info.Attrs[fmt.Sprintf("key-%03d", i)] = strings.Repeat("v", i)
	}
	must(t, s.CreateStudy(info))
	got, err := s.LoadStudy("large")
	must(t, err)
	for _, d := range DiffStudy(info, got) {
		t.Errorf("LoadStudy: %s", d)
	}

	// A huge ID, more point values than the study has parameters, a 1 MiB
	// attribute, extreme steps, many objectives and a long curve.
	big := Running(math.MaxInt)
	big.Params = nil
	for i := range 1000 {
		big.Params = append(big.Params, extremes[i%len(extremes)])
	}
	big.Params[4] = 999 // the "many" categorical
	big.Attrs["blob"] = strings.Repeat("0123456789abcdef", 1<<16)
	big.Arch = &graph.Arch{Input: graph.Shape{3, 224, 224}}
	prev := 0
	for i := range 300 {
		big.Arch.Nodes = append(big.Arch.Nodes, graph.Node{
			Op: graph.OpConv2D, Attrs: map[string]int{"filters": math.MaxInt32, "kernel": i}, Inputs: []int{prev},
		})
		prev = i
	}
	must(t, s.StartTrial("large", Running(0)))
	must(t, s.StartTrial("large", big))
	reports := []search.Step{{Step: math.MaxInt, Value: math.MaxFloat64}, {Step: math.MinInt, Value: -math.SmallestNonzeroFloat64}, {Step: 0, Value: 1e-300}}
	for _, st := range reports {
		must(t, s.Report("large", big.ID, st.Step, st.Value))
	}
	started := asStarted(big)
	started.Curve = reports
	wantTrials(t, s, "large", asStarted(Running(0)), started)

	fin := big
	fin.State = search.Complete
	fin.Values = append([]float64{nan(), inf(1), inf(-1)}, extremes...)
	for i := range 100 {
		fin.Values = append(fin.Values, float64(i)/7)
	}
	for i := range 5000 {
		fin.Curve = append(fin.Curve, search.Step{Step: i * 1000, Value: extremes[i%len(extremes)]})
	}
	fin.Finished = at(86400 * 365)
	must(t, s.FinishTrial("large", fin))
	wantTrials(t, s, "large", asStarted(Running(0)), fin)
}

func testUnicode(t *testing.T, s search.Storage) {
	name := "étude/研究 🧪 'single' \"double\" %_ \\; DROP TABLE trials; --"
	info := Study(name)
	info.Params = []space.Param{
		space.NewCategorical("активация", "ReLU→GELU", "σ", "恒等"),
		space.NewFloat("η", 1e-4, 1, true),
	}
	info.Optimizer = "évolution"
	info.Source = "空间 {\n\tактивация: choice(σ, τ) # 注释\n}\n"
	info.Attrs = map[string]string{"数据集": "ImageNet-1k ✓", "emoji 🧠": "🤖\n\ttab", "": "empty key", "empty value": ""}
	must(t, s.CreateStudy(info))
	// A study whose name differs only in case or normalization is another study.
	must(t, s.CreateStudy(Study(strings.ToUpper(name))))
	must(t, s.CreateStudy(Study("e\u0301tude")))

	got, err := s.LoadStudy(name)
	must(t, err)
	for _, d := range DiffStudy(info, got) {
		t.Errorf("LoadStudy: %s", d)
	}
	tr := Running(0)
	tr.Params = space.Point{2, 0.01}
	tr.Arch = Arch()
	tr.Arch.Nodes[1].Name = "セル0/エッジ1"
	tr.Arch.Nodes[2].Attrs = map[string]int{"στρώμα": 1}
	tr.Arch.Labels = map[string]string{"説明": "ü, with a \u2028 line separator"}
	tr.ArchHash = "ハッシュ"
	tr.Attrs = map[string]string{"ключ": "значение", "quote'": "\"", "": "empty key"}
	must(t, s.StartTrial(name, tr))
	fin := tr
	fin.State = search.Failed
	fin.Attrs = map[string]string{search.AttrError: "réseau: ошибка 💥 at 行 3"}
	fin.Finished = at(1)
	must(t, s.FinishTrial(name, fin))
	wantTrials(t, s, name, fin)
	if ts := trials(t, s, strings.ToUpper(name)); len(ts) != 0 {
		t.Errorf("the upper-case study has %d trials", len(ts))
	}
}
