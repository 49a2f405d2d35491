package plots

import (
	"math"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/search"
)

func TestParseMetric(t *testing.T) {
	one := synthInfo()
	two := synthInfo(search.Maximize, search.Minimize)
	cases := []struct {
		info search.StudyInfo
		in   string
		want Metric
		err  string
	}{
		{one, "value", Metric{Name: "value", Objective: 0}, ""},
		{one, "value0", Metric{Name: "value", Objective: 0}, ""},
		{two, "value1", Metric{Name: "value1", Objective: 1, Direction: search.Minimize}, ""},
		{one, "params", Metric{Name: "parameters", Attr: search.AttrArchParams, Direction: search.Minimize}, ""},
		{one, "flops", Metric{Name: "FLOPs", Attr: search.AttrArchFLOPs, Direction: search.Minimize}, ""},
		{one, "attr:latency_ms", Metric{Name: "latency_ms", Attr: "latency_ms", Direction: search.Minimize}, ""},
		{one, "attr:score:max", Metric{Name: "score", Attr: "score", Direction: search.Maximize}, ""},
		{one, "value1", Metric{}, `study "synth" has 1 objectives`},
		{one, "valueX", Metric{}, "value0..value0"},
		{one, "attr:", Metric{}, "no attribute name"},
		{one, "attr:x:up", Metric{}, "unknown direction"},
		{one, "accuracy", Metric{}, `unknown metric "accuracy"`},
	}
	for _, c := range cases {
		got, err := ParseMetric(c.info, c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseMetric(%q) = %v, want an error with %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseMetric(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestMetricOf(t *testing.T) {
	tr := search.Trial{State: search.Complete, Values: []float64{0.9, math.NaN()},
		Attrs: map[string]string{"arch_params": "1200", "bad": "x", "inf": "+Inf"}}
	cases := []struct {
		m    Metric
		t    search.Trial
		want float64
		ok   bool
	}{
		{Metric{}, tr, 0.9, true},
		{Metric{Objective: 1}, tr, 0, false},
		{Metric{Objective: 5}, tr, 0, false},
		{Metric{Attr: "arch_params"}, tr, 1200, true},
		{Metric{Attr: "missing"}, tr, 0, false},
		{Metric{Attr: "bad"}, tr, 0, false},
		{Metric{Attr: "inf"}, tr, 0, false},
		{Metric{}, search.Trial{State: search.Pruned, Values: []float64{1}}, 0, false},
	}
	for i, c := range cases {
		v, ok := c.m.Of(c.t)
		if ok != c.ok || (ok && v != c.want) {
			t.Errorf("case %d: Of = %v, %v; want %v, %v", i, v, ok, c.want, c.ok)
		}
	}
	if _, err := (Metric{Objective: 2}).resolve(synthInfo()); err == nil || !strings.Contains(err.Error(), "objective 2") {
		t.Errorf("resolve of a missing objective: %v", err)
	}
	if l := ObjectiveMetric(synthInfo(search.Minimize), 0).Label(); l != "value (lower is better)" {
		t.Errorf("label %q", l)
	}
}
