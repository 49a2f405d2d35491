package bindings

import (
	"encoding/json"
	"strings"
	"testing"
)

const hpoSource = `SearchSpace(name="hpo")
Param.float("x", -5, 5)
Param.int("n", 1, 64, log=true)
Param.choice("act", ["relu", "gelu"])
Param.choice("width", ["16", "32"])
`

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not JSON: %q: %v", s, err)
	}
	return m
}

func open(t *testing.T, source, settings string) int {
	t.Helper()
	m := decode(t, NewStudy(source, "test.morph", settings))
	if e, ok := m["error"]; ok {
		t.Fatalf("NewStudy: %v", e)
	}
	h := int(m["handle"].(float64))
	t.Cleanup(func() { Close(h) })
	return h
}

func TestAskTellRoundTrip(t *testing.T) {
	h := open(t, hpoSource, `{"optimizer":"random","seed":3}`)
	a := decode(t, Ask(h))
	if a["id"].(float64) != 0 || a["state"] != "running" {
		t.Fatalf("Ask = %v", a)
	}
	p := a["params"].(map[string]any)
	if _, ok := p["width"].(float64); !ok { // "16" and "32" come back as numbers
		t.Errorf("width = %#v, want a number", p["width"])
	}
	if _, ok := p["act"].(string); !ok {
		t.Errorf("act = %#v, want a string", p["act"])
	}
	if msg := Tell1(h, 0, 1.5); msg != "" {
		t.Fatal(msg)
	}
	if msg := Tell1(h, 0, 1.5); !strings.Contains(msg, "already finished") {
		t.Errorf("second Tell: %q", msg)
	}
	Ask(h)
	if msg := Tell(h, 1, "[null]"); msg != "" {
		t.Fatal(msg)
	}
	Ask(h)
	if msg := Tell(h, 2, "not json"); !strings.Contains(msg, "not a list of numbers") {
		t.Errorf("bad values: %q", msg)
	}
	if msg := TellFailed(h, 2, "ValueError: boom"); msg != "" {
		t.Fatal(msg)
	}
	var trials []trialOut
	if err := json.Unmarshal([]byte(Trials(h, -1, 0)), &trials); err != nil {
		t.Fatal(err)
	}
	if len(trials) != 3 || trials[0].State != "complete" || trials[2].Attrs["error"] != "ValueError: boom" {
		t.Fatalf("trials = %+v", trials)
	}
	if Len(h) != 3 {
		t.Errorf("Len = %d", Len(h))
	}
}

func TestErrorsAreValues(t *testing.T) {
	for _, c := range []struct{ source, settings, want string }{
		{"SearchSpace(name=\"x\", input=[1, 8, 8], layers=[Layer.conv2(filters=8), Layer.output(10)])", "", `did you mean \"conv2d\"`},
		{hpoSource, `{"optimizer":"evolutoin"}`, `did you mean \"evolution\"`},
		{hpoSource, `{"optimizer":"evolution","optimizer_options":{"population":4}}`, "population_size"},
		{hpoSource, `{"optimizer":"evolution","optimizer_options":{"crossover":"maybe"}}`, "crossover"},
		{hpoSource, `{"pruner":"medain"}`, `did you mean \"median\"`},
		{hpoSource, `{"directions":["upward"]}`, "upward"},
		{hpoSource, `{"storage":"/nonexistent/dir/x.db"}`, "x.db"},
		{hpoSource, `{not json`, "study settings"},
	} {
		got := NewStudy(c.source, "t.morph", c.settings)
		if !strings.Contains(got, `"error"`) || !strings.Contains(got, c.want) {
			t.Errorf("NewStudy(%.30q, %s) = %s, want an error with %q", c.source, c.settings, got, c.want)
		}
	}
	if got := Ask(987654); !strings.Contains(got, "no open study") {
		t.Errorf("Ask on a closed handle: %s", got)
	}
	if got := Tell1(987654, 0, 1); !strings.Contains(got, "no open study") {
		t.Errorf("Tell1 on a closed handle: %s", got)
	}
	if Len(987654) != -1 {
		t.Error("Len of a closed handle")
	}
}

func TestGuardsTurnPanicsIntoErrors(t *testing.T) {
	f := func() (result string) {
		defer guardJSON(&result)
		var m map[string]int
		m["x"] = 1 // panics
		return "unreachable"
	}
	if got := decode(t, f()); !strings.Contains(got["error"].(string), "internal error: assignment to entry in nil map") {
		t.Errorf("guardJSON: %v", got)
	}
	g := func() (result string) {
		defer guardText(&result)
		panic("boom")
	}
	if got := g(); !strings.HasPrefix(got, "internal error: boom") {
		t.Errorf("guardText: %q", got)
	}
}

func TestEngineSearchAndResults(t *testing.T) {
	h := open(t, "SearchSpace(name=\"nb\", cell=Cell.nb201())\n", `{"optimizer":"evolution","seed":1}`)
	if msg := StartOptimize(h, 5, 0, 0); !strings.Contains(msg, "Evaluate") {
		t.Errorf("StartOptimize without an evaluator: %q", msg)
	}
	if msg := SetEvaluator(h, `Evaluate(benchmark="nb201", dataset="cifar10")`); msg != "" {
		t.Fatal(msg)
	}
	if msg := SetEvaluator(h, `Evaluate(benchmark="nb201", dataset="cifar10")`); msg != "" {
		t.Errorf("setting the same evaluator again: %q", msg)
	}
	if msg := SetEvaluator(h, `Evaluate(benchmark="nb201", dataset="cifar100")`); !strings.Contains(msg, "already has an evaluator") {
		t.Errorf("another evaluator: %q", msg)
	}
	if msg := StartOptimize(h, 40, 2, 0); msg != "" {
		t.Fatal(msg)
	}
	var st map[string]any
	for {
		st = decode(t, Poll(h, 1000))
		if st["running"] == false {
			break
		}
	}
	if st["finished"].(float64) != 40 || st["run_error"] != "" || st["best"] == nil {
		t.Fatalf("Poll = %v", st)
	}
	var best []trialOut
	if err := json.Unmarshal([]byte(BestTrials(h)), &best); err != nil || len(best) != 1 || best[0].Attrs["test_acc"] == "" {
		t.Fatalf("BestTrials = %+v, %v", best, err)
	}
	for _, f := range []string{"summary", "dot", "json", "svg", "png", "html"} {
		if m := decode(t, Arch(h, best[0].ID, f)); m["data"] == "" || m["error"] != nil {
			t.Errorf("Arch %s: %v", f, m)
		}
	}
	for _, kind := range []string{"history", "arch", "importance"} {
		if m := decode(t, Plot(h, kind, `{"seed":1}`, "svg")); !strings.Contains(m["data"].(string), "<svg") {
			t.Errorf("Plot %s: %.100v", kind, m)
		}
	}
	if m := decode(t, Plot(h, "history", "", "gif")); m["error"] == nil {
		t.Error("Plot in an unknown format: no error")
	}
	ex := decode(t, TrialsArrow(h, false))
	if ex["array"].(float64) == 0 || PendingExports() != 1 {
		t.Fatalf("TrialsArrow = %v, pending %d", ex, PendingExports())
	}
	ReleaseArrow(int(ex["export"].(float64)))
	ReleaseArrow(int(ex["export"].(float64))) // twice: nothing
	if PendingExports() != 0 {
		t.Errorf("pending exports after release: %d", PendingExports())
	}
	if !strings.Contains(decode(t, StudyHTML(h))["data"].(string), "<table") {
		t.Error("StudyHTML has no table")
	}
}

func TestCancelKeepsFinishedTrials(t *testing.T) {
	h := open(t, "SearchSpace(name=\"nb\", cell=Cell.nb201())\nEvaluate(benchmark=\"nb201\")\n", `{"optimizer":"random","seed":2}`)
	if msg := StartOptimize(h, 0, 1, 30); msg != "" { // a 30 s timeout, cancelled well before
		t.Fatal(msg)
	}
	if msg := StartOptimize(h, 5, 1, 0); !strings.Contains(msg, "already running") {
		t.Errorf("a second search: %q", msg)
	}
	decode(t, Poll(h, 50))
	if msg := Cancel(h); msg != "" {
		t.Fatal(msg)
	}
	st := decode(t, Poll(h, 0))
	if st["running"] != false || st["finished"].(float64) < 1 {
		t.Fatalf("after Cancel: %v", st)
	}
	if msg := Close(h); msg != "" {
		t.Fatal(msg)
	}
	if msg := Close(h); msg != "" {
		t.Errorf("closing twice: %q", msg)
	}
}

func TestChoiceTyping(t *testing.T) {
	for in, want := range map[string]string{"16": "16", "0.5": "0.5", "true": "true", "relu": `"relu"`, "1e3": "1000", "0x10": `"0x10"`, "NaN": `"NaN"`} {
		if got := choiceJSON(in); got != want {
			t.Errorf("choiceJSON(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestCatalog(t *testing.T) {
	m := decode(t, Catalog())
	if m["version"] != Version() || len(m["optimizers"].([]any)) < 10 || len(m["pruners"].([]any)) < 4 {
		t.Fatalf("Catalog = %.300v", m)
	}
}

func TestLoadStudy(t *testing.T) {
	db := t.TempDir() + "/s.db"
	h := open(t, hpoSource, `{"optimizer":"tpe","seed":5,"storage":"`+db+`","name":"kept","directions":["minimize"]}`)
	Ask(h)
	Tell1(h, 0, 2)
	Close(h)
	m := decode(t, LoadStudy(db, "kept"))
	if m["error"] != nil {
		t.Fatal(m["error"])
	}
	st := m["study"].(map[string]any)
	if st["optimizer"] != "tpe" || st["n_trials"].(float64) != 1 || st["directions"].([]any)[0] != "minimize" {
		t.Fatalf("loaded %v", st)
	}
	Close(int(m["handle"].(float64)))
	if got := LoadStudy(db, "kpet"); !strings.Contains(got, `did you mean \"kept\"`) {
		t.Errorf("unknown name: %s", got)
	}
}

func TestDevice(t *testing.T) {
	src := "SearchSpace(name=\"t\", input=[1, 8, 8], layers=[Layer.dense(units=8), Layer.output(units=10)])\nEvaluate(train=\"digits\", epochs=1)\n"
	if got := NewStudy(src, "t.morph", `{"device":"tpu"}`); !strings.Contains(got, `unknown device \"tpu\"`) {
		t.Errorf("device tpu: %s", got)
	}
	h := open(t, src, `{"device":"gpu"}`)
	// This package does not link the XLA engine: the search says so.
	if msg := StartOptimize(h, 1, 1, 0); !strings.Contains(msg, "no GPU engine") {
		t.Errorf("device gpu without the engine: %q", msg)
	}
}
