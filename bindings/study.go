package bindings

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/morphml/morphml/core/experiment"
	_ "github.com/morphml/morphml/core/optimizers" // every optimizer, by name
	"github.com/morphml/morphml/core/pruners"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/space/morph"
	"github.com/morphml/morphml/core/store/sqlite"
)

// studySettings are the arguments of morphml.create_study; each set field
// overrides the .morph file's Search and Prune statements.
type studySettings struct {
	Name             string         `json:"name"`
	Optimizer        string         `json:"optimizer"`
	OptimizerOptions map[string]any `json:"optimizer_options"`
	Seed             *int64         `json:"seed"`
	Directions       []string       `json:"directions"`
	Pruner           string         `json:"pruner"`
	PrunerOptions    map[string]any `json:"pruner_options"`
	Storage          string         `json:"storage"` // a SQLite file; "": memory
	LoadIfExists     bool           `json:"load_if_exists"`
	Device           string         `json:"device"` // "cpu", "gpu", "auto"; "": the file's
}

// ParseMorph checks a .morph source (path names it in errors) and returns
// what it defines as JSON: {"space": {...}, "search": {...}, "evaluate":
// ..., "warnings": [...]}, or {"error": "..."} with every problem found,
// each as path:line:col with the line and a caret.
func ParseMorph(source, path string) (result string) {
	defer guardJSON(&result)
	f, err := morph.Parse(path, []byte(source))
	if err != nil {
		return errorJSON(err)
	}
	return okJSON(describeFile(f))
}

// NewStudy opens a study of the search space a .morph source defines, with
// settingsJSON (see studySettings) overriding its Search and Prune
// statements. It returns {"handle": n, "study": {...}} or {"error": ...}.
func NewStudy(source, path, settingsJSON string) (result string) {
	defer guardJSON(&result)
	var set studySettings
	if settingsJSON != "" {
		if err := json.Unmarshal([]byte(settingsJSON), &set); err != nil {
			return errorJSON(fmt.Errorf("study settings: %w", err))
		}
	}
	return openStudy(source, path, set)
}

// LoadStudy opens a study stored in a SQLite file by its name, with the
// search space, optimizer and settings it was made with, to look at its
// trials or continue it. It returns what NewStudy returns.
func LoadStudy(storage, name string) (result string) {
	defer guardJSON(&result)
	db, err := sqlite.Open(storage)
	if err != nil {
		return errorJSON(err)
	}
	info, err := db.LoadStudy(name)
	if err != nil {
		if errors.Is(err, search.ErrNoStudy) {
			var names []string
			if all, err := db.ListStudies(); err == nil {
				for _, s := range all {
					names = append(names, s.Name)
				}
			}
			err = fmt.Errorf("%s holds no study %q%s (it holds: %s)", storage, name, suggest(name, names), strings.Join(names, ", "))
		}
		db.Close()
		return errorJSON(err)
	}
	db.Close()
	var set studySettings
	if js := info.Attrs[attrSettings]; js != "" {
		if err := json.Unmarshal([]byte(js), &set); err != nil {
			return errorJSON(fmt.Errorf("study %q: stored settings: %w", name, err))
		}
	}
	set.Name, set.Storage, set.LoadIfExists = name, storage, true
	path := info.Attrs["file"]
	if path == "" {
		path = name + ".morph"
	}
	return openStudy(info.Source, path, set)
}

// attrSettings is the study attribute that keeps the settings of NewStudy,
// so that LoadStudy makes the same study again.
const attrSettings = "python_settings"

func openStudy(source, path string, set studySettings) string {
	f, err := morph.Parse(path, []byte(source))
	if err != nil {
		return errorJSON(err)
	}
	if err := applySettings(f, set); err != nil {
		return errorJSON(err)
	}
	s := &study{file: f}
	stored := set
	stored.Name, stored.Storage, stored.LoadIfExists = "", "", false
	js, _ := json.Marshal(stored)
	opts := experiment.Options{Study: set.Name, Attrs: map[string]string{attrSettings: string(js)}}
	if opts.Study == "" {
		opts.Study = fmt.Sprintf("%s-%s", f.Space.Name, time.Now().Format("20060102-150405.000"))
	}
	if set.Storage != "" {
		db, err := sqlite.Open(set.Storage)
		if err != nil {
			return errorJSON(err)
		}
		s.store = db
		opts.Storage = db
		if set.LoadIfExists {
			_, err := db.LoadStudy(opts.Study)
			opts.Resume = err == nil
		}
	}
	st, _, err := experiment.Open(f, opts)
	if err != nil {
		if s.store != nil {
			s.store.Close()
		}
		return errorJSON(err)
	}
	s.st = st
	return okJSON(map[string]any{"handle": register(s), "study": describeStudy(s)})
}

// applySettings writes the settings into the parsed file's statements.
func applySettings(f *morph.File, set studySettings) error {
	if f.Search == nil {
		f.Search = &morph.Search{Optimizer: "evolution", Budget: 100, Parallel: 1, Directions: []search.Direction{search.Maximize}}
	}
	sc := f.Search
	if set.Optimizer != "" && set.Optimizer != sc.Optimizer {
		sc.Optimizer, sc.Options = set.Optimizer, nil
	}
	fac, ok := search.Lookup(sc.Optimizer)
	if !ok {
		return fmt.Errorf("unknown optimizer %q%s (known: %s)", sc.Optimizer, suggest(sc.Optimizer, search.Names()), strings.Join(search.Names(), ", "))
	}
	if len(set.OptimizerOptions) > 0 {
		given, err := encodeOptions("optimizer "+strconv.Quote(sc.Optimizer), fac.Options, set.OptimizerOptions)
		if err != nil {
			return err
		}
		merged := search.Options{}
		for k, v := range sc.Options {
			merged[k] = v
		}
		for k, v := range given {
			merged[k] = v
		}
		if sc.Options, err = fac.Resolve(merged); err != nil {
			return err
		}
	}
	if set.Seed != nil {
		sc.Seed = *set.Seed
		if f.Evaluate != nil && f.Evaluate.Kind == morph.KindTrain {
			f.Evaluate.Training.Seed, f.Evaluate.Data.Seed = sc.Seed, sc.Seed
		}
	}
	if len(set.Directions) > 0 {
		sc.Directions = sc.Directions[:0:0]
		for _, d := range set.Directions {
			dir, err := search.ParseDirection(d)
			if err != nil {
				return err
			}
			sc.Directions = append(sc.Directions, dir)
		}
	}
	if set.Pruner != "" {
		pf, ok := pruners.Lookup(set.Pruner)
		if !ok {
			return fmt.Errorf("unknown pruner %q%s (known: %s)", set.Pruner, suggest(set.Pruner, pruners.Names()), strings.Join(pruners.Names(), ", "))
		}
		o, err := encodeOptions("pruner "+strconv.Quote(set.Pruner), pf.Options, set.PrunerOptions)
		if err != nil {
			return err
		}
		f.Prune = &morph.Prune{Pruner: set.Pruner, Options: o}
	} else if len(set.PrunerOptions) > 0 {
		return errors.New("pruner_options without a pruner")
	}
	if set.Device != "" {
		return experiment.SetDevice(f, set.Device)
	}
	return nil
}

// encodeOptions turns Python option values into encoded option values:
// numbers as they are, booleans and strings as the index of a choice.
func encodeOptions(owner string, known []search.Option, given map[string]any) (search.Options, error) {
	out := search.Options{}
	for name, v := range given {
		var opt *search.Option
		var names []string
		for i := range known {
			names = append(names, known[i].Name)
			if known[i].Name == name {
				opt = &known[i]
			}
		}
		if opt == nil {
			return nil, fmt.Errorf("%s has no option %q%s (options: %s)", owner, name, suggest(name, names), strings.Join(names, ", "))
		}
		switch x := v.(type) {
		case float64:
			if opt.Kind == space.Categorical {
				if x != math.Trunc(x) || x < 0 || int(x) >= len(opt.Choices) {
					return nil, fmt.Errorf("%s: option %s takes one of %s, not %v", owner, name, strings.Join(opt.Choices, ", "), x)
				}
			}
			out[name] = x
		case bool, string:
			s := fmt.Sprint(x)
			i := opt.Index(s)
			if opt.Kind != space.Categorical || i < 0 {
				if opt.Kind != space.Categorical {
					return nil, fmt.Errorf("%s: option %s takes a number, not %q", owner, name, s)
				}
				return nil, fmt.Errorf("%s: option %s takes one of %s, not %q", owner, name, strings.Join(opt.Choices, ", "), s)
			}
			out[name] = float64(i)
		default:
			return nil, fmt.Errorf("%s: option %s: unsupported value %v (%T)", owner, name, v, v)
		}
	}
	return out, nil
}

// Ask proposes the next trial: {"id": n, "state": "running", "params":
// {...}}; a point that breaks a constraint comes back finished, with state
// "failed" and its "error".
func Ask(handle int) (result string) {
	defer guardJSON(&result)
	s, err := lookup(handle)
	if err != nil {
		return errorJSON(err)
	}
	t, err := s.st.Ask()
	if err != nil {
		return errorJSON(err)
	}
	var b strings.Builder
	b.WriteString(`{"id":`)
	b.WriteString(strconv.Itoa(t.ID))
	b.WriteString(`,"state":"`)
	b.WriteString(t.State.String())
	b.WriteString(`","params":`)
	writeParams(&b, s.st.Space(), t.Params)
	if msg := t.Attrs[search.AttrError]; msg != "" {
		b.WriteString(`,"error":`)
		q, _ := json.Marshal(msg)
		b.Write(q)
	}
	b.WriteByte('}')
	return b.String()
}

// Tell finishes a trial with its objective values, given as a JSON list
// (null for a missing value). It returns "" or the error text.
func Tell(handle, id int, valuesJSON string) (result string) {
	defer guardText(&result)
	s, err := lookup(handle)
	if err != nil {
		return err.Error()
	}
	var raw []*float64
	if err := json.Unmarshal([]byte(valuesJSON), &raw); err != nil {
		return fmt.Sprintf("trial %d: the objective values %s are not a list of numbers: %v", id, valuesJSON, err)
	}
	values := make([]float64, len(raw))
	for i, v := range raw {
		values[i] = math.NaN()
		if v != nil {
			values[i] = *v
		}
	}
	_, err = s.st.Tell(id, values, nil)
	return errText(err)
}

// Tell1 is Tell for one objective value, the fast path.
func Tell1(handle, id int, value float64) (result string) {
	defer guardText(&result)
	s, err := lookup(handle)
	if err != nil {
		return err.Error()
	}
	_, err = s.st.Tell(id, []float64{value}, nil)
	return errText(err)
}

// TellFailed finishes a trial as failed with a message (the objective's
// exception).
func TellFailed(handle, id int, message string) (result string) {
	defer guardText(&result)
	s, err := lookup(handle)
	if err != nil {
		return err.Error()
	}
	if message == "" {
		message = "failed"
	}
	_, err = s.st.Tell(id, nil, errors.New(message))
	return errText(err)
}

// TellPruned finishes a trial as pruned.
func TellPruned(handle, id int) (result string) {
	defer guardText(&result)
	s, err := lookup(handle)
	if err != nil {
		return err.Error()
	}
	_, err = s.st.TellPruned(id)
	return errText(err)
}

// Report records an intermediate value of a running trial. It returns
// "prune" when the pruner wants the trial stopped, "" to go on, or the error
// text.
func Report(handle, id, step int, value float64) (result string) {
	defer guardText(&result)
	s, err := lookup(handle)
	if err != nil {
		return err.Error()
	}
	prune, err := s.st.Report(id, step, value)
	switch {
	case err != nil:
		return err.Error()
	case prune:
		return "prune"
	}
	return ""
}

// SetAttr records a user attribute of a running trial; "" or the error.
func SetAttr(handle, id int, key, value string) (result string) {
	defer guardText(&result)
	s, err := lookup(handle)
	if err != nil {
		return err.Error()
	}
	return errText(s.st.SetAttr(id, key, value))
}

// Len is the number of trials of a study (-1 for a closed handle).
func Len(handle int) int {
	s, err := lookup(handle)
	if err != nil {
		return -1
	}
	return s.st.Len()
}

func errText(err error) string {
	if err != nil {
		return err.Error()
	}
	return ""
}

// writeParams writes a point as a JSON object, each value typed: a
// categorical choice that reads as a number or a boolean becomes one.
func writeParams(b *strings.Builder, sp *space.Space, pt space.Point) {
	b.WriteByte('{')
	for i, p := range sp.Params {
		if i > 0 {
			b.WriteByte(',')
		}
		q, _ := json.Marshal(p.Name)
		b.Write(q)
		b.WriteByte(':')
		if i >= len(pt) || !p.Contains(pt[i]) {
			b.WriteString("null")
			continue
		}
		b.WriteString(paramJSON(p, pt[i]))
	}
	b.WriteByte('}')
}

// paramJSON renders one parameter value as JSON.
func paramJSON(p space.Param, v float64) string {
	switch p.Kind {
	case space.Categorical:
		return choiceJSON(p.Choices[int(v)])
	case space.Int:
		return strconv.FormatInt(int64(v), 10)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// choiceJSON types a categorical choice: "16" -> 16, "0.5" -> 0.5,
// "true" -> true, anything else a string.
func choiceJSON(c string) string {
	if _, err := strconv.ParseInt(c, 10, 64); err == nil {
		return c
	}
	if f, err := strconv.ParseFloat(c, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) && !strings.ContainsAny(c, "xXpP_") {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	if c == "true" || c == "false" {
		return c
	}
	q, _ := json.Marshal(c)
	return string(q)
}
