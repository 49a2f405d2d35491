package bindings

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/results"
	"github.com/morphml/morphml/plots"
)

// exports holds the Arrow C Data exports that Python has not released yet.
var exports = struct {
	sync.Mutex
	next int
	m    map[int]*results.CBatch
}{next: 1, m: map[int]*results.CBatch{}}

// TrialsArrow exports the study's trials table (results.Trials; curves=true:
// results.Curves, the intermediate values) through the Arrow C Data
// Interface, its buffers in C memory. It returns {"array": address,
// "schema": address, "export": id}: import both with
// pyarrow.RecordBatch._import_from_c(array, schema), then ReleaseArrow(id).
func TrialsArrow(handle int, curves bool) (result string) {
	defer guardJSON(&result)
	s, err := lookup(handle)
	if err != nil {
		return errorJSON(err)
	}
	info, trials := s.st.Info(), s.st.Snapshot()
	build := results.Trials
	if curves {
		build = results.Curves
	}
	rec, err := build(info, trials, results.CAllocator())
	if err != nil {
		return errorJSON(err)
	}
	defer rec.Release()
	c, err := results.ExportC(rec)
	if err != nil {
		return errorJSON(err)
	}
	exports.Lock()
	id := exports.next
	exports.next++
	exports.m[id] = c
	exports.Unlock()
	return fmt.Sprintf(`{"array":%d,"schema":%d,"export":%d}`, c.Array, c.Schema, id)
}

// ReleaseArrow releases an export of TrialsArrow (what pyarrow did not take
// over, and the C structs). Releasing twice does nothing.
func ReleaseArrow(export int) {
	exports.Lock()
	c := exports.m[export]
	delete(exports.m, export)
	exports.Unlock()
	c.Release()
}

// PendingExports is the number of unreleased exports (for leak tests).
func PendingExports() int {
	exports.Lock()
	defer exports.Unlock()
	return len(exports.m)
}

// plotSettings are the arguments of study.plot_*(): plots.StudyOptions.
type plotSettings struct {
	X         string    `json:"x"`
	Y         string    `json:"y"`
	Reference []float64 `json:"reference"`
	Metric    string    `json:"metric"`
	Full      bool      `json:"full"`
	Seed      int64     `json:"seed"`
}

// Plot draws a figure of the study (one of plots.Kinds) in a format: "png"
// (base64), "svg" or "html". It returns {"data": ...} or {"error": ...}.
func Plot(handle int, kind, settingsJSON, format string) (result string) {
	defer guardJSON(&result)
	s, err := lookup(handle)
	if err != nil {
		return errorJSON(err)
	}
	var set plotSettings
	if settingsJSON != "" {
		if err := json.Unmarshal([]byte(settingsJSON), &set); err != nil {
			return errorJSON(fmt.Errorf("plot settings: %w", err))
		}
	}
	fig, err := plots.StudyFigure(s.st.Info(), s.st.Snapshot(), kind, plots.StudyOptions{
		X: set.X, Y: set.Y, Reference: set.Reference, Metric: set.Metric, Full: set.Full, Seed: set.Seed})
	if err != nil {
		return errorJSON(err)
	}
	return render(format, fig.PNG, fig.SVG, fig.HTML)
}

// Arch renders the architecture of trial id in a format: "summary" (a
// table of nodes and shapes), "dot", "json", "svg", "png" (base64) or
// "html". It returns {"data": ...} or {"error": ...}.
func Arch(handle, id int, format string) (result string) {
	defer guardJSON(&result)
	s, err := lookup(handle)
	if err != nil {
		return errorJSON(err)
	}
	t, ok := s.st.Trial(id)
	if !ok {
		return errorJSON(fmt.Errorf("study %q has no trial %d", s.st.Name(), id))
	}
	a := t.Arch
	if a == nil {
		return errorJSON(fmt.Errorf("trial %d has no architecture (the space has only hyper-parameters)", id))
	}
	switch format {
	case "summary":
		return okJSON(map[string]string{"data": graph.Summary(a)})
	case "dot":
		return okJSON(map[string]string{"data": graph.DOT(a)})
	case "json":
		b, err := json.Marshal(a)
		if err != nil {
			return errorJSON(err)
		}
		return okJSON(map[string]string{"data": string(b)})
	}
	return render(format, a.PNG, a.SVG, a.HTML)
}

func render(format string, png func() []byte, svg, html func() string) string {
	switch format {
	case "png":
		return okJSON(map[string]string{"data": base64.StdEncoding.EncodeToString(png())})
	case "svg":
		return okJSON(map[string]string{"data": svg()})
	case "html":
		return okJSON(map[string]string{"data": html()})
	}
	return errorJSON(fmt.Errorf("unknown format %q (want png, svg or html)", format))
}

// StudyHTML renders the study as the HTML table notebooks show.
func StudyHTML(handle int) (result string) {
	defer guardJSON(&result)
	s, err := lookup(handle)
	if err != nil {
		return errorJSON(err)
	}
	return okJSON(map[string]string{"data": s.st.HTML()})
}
