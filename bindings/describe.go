package bindings

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/morphml/morphml/core/pruners"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/space/morph"
)

// version is the engine's version, also the Python package's.
const version = "0.1.0"

// Version is the engine's version.
func Version() string { return version }

type paramOut struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Choices []string `json:"choices,omitempty"`
	Low     number   `json:"low"`
	High    number   `json:"high"`
	Log     bool     `json:"log"`
}

func paramsOut(ps []space.Param) []paramOut {
	out := make([]paramOut, len(ps))
	for i, p := range ps {
		out[i] = paramOut{Name: p.Name, Kind: p.Kind.String(), Choices: p.Choices, Low: number(p.Low), High: number(p.High), Log: p.Log}
	}
	return out
}

func directionsOut(ds []search.Direction) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// optionsOut decodes encoded option values for display: a categorical
// option's choice, a number otherwise.
func optionsOut(known []search.Option, opts search.Options) map[string]any {
	out := map[string]any{}
	for _, o := range known {
		v, ok := opts[o.Name]
		if !ok {
			v = o.Default
		}
		var x any
		_ = json.Unmarshal([]byte(paramJSON(o.Param, v)), &x)
		out[o.Name] = x
	}
	return out
}

func describeFile(f *morph.File) map[string]any {
	d := map[string]any{
		"space": map[string]any{"name": f.Space.Name, "params": paramsOut(f.Space.Params), "has_arch": f.Space.Decoder != nil},
	}
	if sc := f.Search; sc != nil {
		fac, _ := search.Lookup(sc.Optimizer)
		d["search"] = map[string]any{
			"optimizer": sc.Optimizer, "budget": sc.Budget, "seed": sc.Seed, "parallel": sc.Parallel,
			"timeout_s": sc.Timeout.Seconds(), "directions": directionsOut(sc.Directions),
			"options": optionsOut(fac.Options, sc.Options),
		}
	}
	if ev := f.Evaluate; ev != nil {
		d["evaluate"] = map[string]any{"kind": ev.Kind, "benchmark": ev.Benchmark, "dataset": ev.Dataset}
	}
	if pr := f.Prune; pr != nil {
		fac, _ := pruners.Lookup(pr.Pruner)
		d["prune"] = map[string]any{"pruner": pr.Pruner, "options": optionsOut(fac.Options, pr.Options)}
	}
	var warnings []string
	for _, w := range f.Warnings {
		warnings = append(warnings, w.Error())
	}
	d["warnings"] = warnings
	return d
}

func describeStudy(s *study) map[string]any {
	d := describeFile(s.file)
	info := s.st.Info()
	d["name"] = info.Name
	d["optimizer"] = info.Optimizer
	d["seed"] = info.Seed
	d["directions"] = directionsOut(info.Directions)
	d["n_trials"] = s.st.Len()
	d["storage"] = s.store != nil
	return d
}

// Describe returns a study's settings and size as JSON.
func Describe(handle int) (result string) {
	defer guardJSON(&result)
	s, err := lookup(handle)
	if err != nil {
		return errorJSON(err)
	}
	return okJSON(describeStudy(s))
}

type optionOut struct {
	paramOut
	Default any    `json:"default"`
	Doc     string `json:"doc"`
}

type factoryOut struct {
	Name    string      `json:"name"`
	Doc     string      `json:"doc"`
	Options []optionOut `json:"options"`
}

func factoryOptions(known []search.Option) []optionOut {
	out := make([]optionOut, len(known))
	for i, o := range known {
		var def any
		_ = json.Unmarshal([]byte(paramJSON(o.Param, o.Default)), &def)
		out[i] = optionOut{paramOut: paramsOut([]space.Param{o.Param})[0], Default: def, Doc: o.Doc}
	}
	return out
}

// Catalog lists the optimizers and pruners with their options, and the
// study states, as JSON.
func Catalog() (result string) {
	defer guardJSON(&result)
	var opt, pr []factoryOut
	for _, n := range search.Names() {
		f, _ := search.Lookup(n)
		opt = append(opt, factoryOut{Name: n, Doc: f.Doc, Options: factoryOptions(f.Options)})
	}
	for _, n := range pruners.Names() {
		f, _ := pruners.Lookup(n)
		pr = append(pr, factoryOut{Name: n, Doc: f.Doc, Options: factoryOptions(f.Options)})
	}
	sort.Slice(opt, func(i, j int) bool { return opt[i].Name < opt[j].Name })
	return okJSON(map[string]any{"version": version, "optimizers": opt, "pruners": pr})
}

// trialOut is a trial as the Python package reads it.
type trialOut struct {
	ID       int               `json:"id"`
	State    string            `json:"state"`
	Values   []number          `json:"values"`
	Params   json.RawMessage   `json:"params"`
	Attrs    map[string]string `json:"attrs"`
	Curve    [][2]number       `json:"curve"`
	Started  float64           `json:"started"`  // Unix seconds; 0: unset
	Finished float64           `json:"finished"` // Unix seconds; 0: unset
	ArchHash string            `json:"arch_hash,omitempty"`
}

func trialJSON(sp *space.Space, t search.Trial) trialOut {
	var b strings.Builder
	writeParams(&b, sp, t.Params)
	o := trialOut{ID: t.ID, State: t.State.String(), Values: numbers(t.Values), Params: json.RawMessage(b.String()),
		Attrs: t.Attrs, ArchHash: t.ArchHash, Curve: make([][2]number, len(t.Curve))}
	for i, s := range t.Curve {
		o.Curve[i] = [2]number{number(s.Step), number(s.Value)}
	}
	if !t.Started.IsZero() {
		o.Started = float64(t.Started.UnixNano()) / 1e9
	}
	if !t.Finished.IsZero() {
		o.Finished = float64(t.Finished.UnixNano()) / 1e9
	}
	return o
}

// Trials returns trials as a JSON list: all of them (first = -1), or those
// with IDs in [first, first+count).
func Trials(handle, first, count int) (result string) {
	defer guardJSON(&result)
	s, err := lookup(handle)
	if err != nil {
		return errorJSON(err)
	}
	var ts []search.Trial
	if first < 0 {
		ts = s.st.Trials()
	} else {
		for id := first; id < first+count; id++ {
			t, ok := s.st.Trial(id)
			if !ok {
				break
			}
			ts = append(ts, t)
		}
	}
	out := make([]trialOut, len(ts))
	for i, t := range ts {
		out[i] = trialJSON(s.st.Space(), t)
	}
	return okJSON(out)
}

// BestTrials returns the best trials as a JSON list: for one objective the
// best one (empty when no trial completed), for several the Pareto front.
func BestTrials(handle int) (result string) {
	defer guardJSON(&result)
	s, err := lookup(handle)
	if err != nil {
		return errorJSON(err)
	}
	var ts []search.Trial
	if len(s.st.Directions()) == 1 {
		if t, ok := s.st.Best(); ok {
			ts = append(ts, t)
		}
	} else {
		ts = s.st.BestTrials()
	}
	out := make([]trialOut, len(ts))
	for i, t := range ts {
		out[i] = trialJSON(s.st.Space(), t)
	}
	return okJSON(out)
}
