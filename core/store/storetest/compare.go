package storetest

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// DiffTrial and DiffStudy treat nil and empty slices and maps alike, NaN as
// equal to NaN, times by instant (and require UTC from the store), and
// architectures by their JSON.

func sameFloat(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

func diffFloats(what string, want, got []float64) []string {
	if len(want) != len(got) {
		return []string{fmt.Sprintf("%s: %d values %v, want %d %v", what, len(got), abbrev(got), len(want), abbrev(want))}
	}
	for i := range want {
		if !sameFloat(want[i], got[i]) {
			return []string{fmt.Sprintf("%s[%d] = %v, want %v", what, i, got[i], want[i])}
		}
	}
	return nil
}

func abbrev(v []float64) string {
	if len(v) > 8 {
		return fmt.Sprintf("%v...", v[:8])
	}
	return fmt.Sprint(v)
}

func diffStrings(what string, want, got map[string]string) []string {
	var d []string
	if len(want) != len(got) {
		d = append(d, fmt.Sprintf("%s: %d entries, want %d", what, len(got), len(want)))
	}
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			d = append(d, fmt.Sprintf("%s[%q] missing", what, k))
		case g != w:
			d = append(d, fmt.Sprintf("%s[%q] = %s, want %s", what, k, short(g), short(w)))
		}
	}
	return d
}

func short(s string) string {
	if len(s) > 60 {
		return fmt.Sprintf("%q... (%d bytes)", s[:60], len(s))
	}
	return fmt.Sprintf("%q", s)
}

func diffTime(what string, want, got time.Time) []string {
	if !want.Equal(got) {
		return []string{fmt.Sprintf("%s = %v, want %v", what, got, want)}
	}
	if !got.IsZero() && got.Location() != time.UTC {
		return []string{fmt.Sprintf("%s is in %v, want UTC", what, got.Location())}
	}
	return nil
}

func archJSON(a *graph.Arch) string {
	if a == nil {
		return "<nil>"
	}
	b, err := json.Marshal(a)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

// DiffTrial lists how got differs from want.
func DiffTrial(want, got search.Trial) []string {
	var d []string
	if got.ID != want.ID {
		d = append(d, fmt.Sprintf("ID = %d, want %d", got.ID, want.ID))
	}
	if got.State != want.State {
		d = append(d, fmt.Sprintf("State = %v, want %v", got.State, want.State))
	}
	d = append(d, diffFloats("Params", want.Params, got.Params)...)
	if w, g := archJSON(want.Arch), archJSON(got.Arch); w != g {
		d = append(d, fmt.Sprintf("Arch = %s, want %s", g, w))
	}
	if got.ArchHash != want.ArchHash {
		d = append(d, fmt.Sprintf("ArchHash = %q, want %q", got.ArchHash, want.ArchHash))
	}
	d = append(d, diffFloats("Values", want.Values, got.Values)...)
	if len(got.Curve) != len(want.Curve) {
		d = append(d, fmt.Sprintf("Curve has %d steps, want %d", len(got.Curve), len(want.Curve)))
	} else {
		for i := range want.Curve {
			w, g := want.Curve[i], got.Curve[i]
			if w.Step != g.Step || !sameFloat(w.Value, g.Value) {
				d = append(d, fmt.Sprintf("Curve[%d] = %v, want %v", i, g, w))
				break
			}
		}
	}
	d = append(d, diffStrings("Attrs", want.Attrs, got.Attrs)...)
	d = append(d, diffTime("Started", want.Started, got.Started)...)
	d = append(d, diffTime("Finished", want.Finished, got.Finished)...)
	return d
}

func diffParam(i int, want, got space.Param) []string {
	if want.Name != got.Name || want.Kind != got.Kind || want.Log != got.Log ||
		!sameFloat(want.Low, got.Low) || !sameFloat(want.High, got.High) ||
		fmt.Sprint(want.Choices) != fmt.Sprint(got.Choices) || len(want.Choices) != len(got.Choices) {
		return []string{fmt.Sprintf("Params[%d] = %+v, want %+v", i, got, want)}
	}
	return nil
}

// DiffStudy lists how got differs from want.
func DiffStudy(want, got search.StudyInfo) []string {
	var d []string
	if got.Name != want.Name {
		d = append(d, fmt.Sprintf("Name = %q, want %q", got.Name, want.Name))
	}
	if fmt.Sprint(got.Directions) != fmt.Sprint(want.Directions) {
		d = append(d, fmt.Sprintf("Directions = %v, want %v", got.Directions, want.Directions))
	}
	if len(got.Params) != len(want.Params) {
		d = append(d, fmt.Sprintf("%d Params, want %d", len(got.Params), len(want.Params)))
	} else {
		for i := range want.Params {
			d = append(d, diffParam(i, want.Params[i], got.Params[i])...)
		}
	}
	if got.Optimizer != want.Optimizer {
		d = append(d, fmt.Sprintf("Optimizer = %q, want %q", got.Optimizer, want.Optimizer))
	}
	if got.Seed != want.Seed {
		d = append(d, fmt.Sprintf("Seed = %d, want %d", got.Seed, want.Seed))
	}
	if got.Source != want.Source {
		d = append(d, fmt.Sprintf("Source = %s, want %s", short(got.Source), short(want.Source)))
	}
	d = append(d, diffStrings("Attrs", want.Attrs, got.Attrs)...)
	d = append(d, diffTime("Created", want.Created, got.Created)...)
	return d
}
