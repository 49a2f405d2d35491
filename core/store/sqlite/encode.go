package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// sqlFloat is a float64 as a REAL parameter: NaN, which SQLite cannot hold,
// becomes NULL. ±Inf are stored as such.
func sqlFloat(v float64) any {
	if math.IsNaN(v) {
		return nil
	}
	return v
}

// goFloat is the inverse of sqlFloat.
func goFloat(v sql.NullFloat64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.Float64
}

// sqlTime is a time as an INTEGER parameter: Unix nanoseconds, NULL for the
// zero time. check.Time has made sure it fits.
func sqlTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

// goTime is the inverse of sqlTime; times come back in UTC.
func goTime(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(0, v.Int64).UTC()
}

// jsonFloat is a float64 that JSON can hold even when it is not finite.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, err := strconv.ParseFloat(s, 64) // accepts "NaN", "+Inf", "-Inf"
		*f = jsonFloat(v)
		return err
	}
	var v float64
	err := json.Unmarshal(b, &v)
	*f = jsonFloat(v)
	return err
}

// param is the stored form of a space.Param.
type param struct {
	Name    string    `json:"name"`
	Kind    string    `json:"kind"`
	Choices []string  `json:"choices,omitempty"`
	Low     jsonFloat `json:"low"`
	High    jsonFloat `json:"high"`
	Log     bool      `json:"log,omitempty"`
}

var kinds = []space.Kind{space.Categorical, space.Int, space.Float}

func encodeParams(ps []space.Param) (string, error) {
	out := make([]param, len(ps))
	for i, p := range ps {
		out[i] = param{Name: p.Name, Kind: p.Kind.String(), Choices: p.Choices,
			Low: jsonFloat(p.Low), High: jsonFloat(p.High), Log: p.Log}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeParams(s string) ([]space.Param, error) {
	var in []param
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	var out []space.Param
	for _, p := range in {
		k := space.Kind(-1)
		for _, c := range kinds {
			if c.String() == p.Kind {
				k = c
			}
		}
		if k < 0 {
			return nil, fmt.Errorf("parameter %q: unknown kind %q", p.Name, p.Kind)
		}
		out = append(out, space.Param{Name: p.Name, Kind: k, Choices: p.Choices,
			Low: float64(p.Low), High: float64(p.High), Log: p.Log})
	}
	return out, nil
}

func encodeDirections(ds []search.Direction) (string, error) {
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.String()
	}
	b, err := json.Marshal(names)
	return string(b), err
}

func decodeDirections(s string) ([]search.Direction, error) {
	var names []string
	if err := json.Unmarshal([]byte(s), &names); err != nil {
		return nil, fmt.Errorf("directions: %w", err)
	}
	var out []search.Direction
	for _, n := range names {
		d, err := search.ParseDirection(n)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func encodeAttrs(m map[string]string) (string, error) {
	if m == nil {
		m = map[string]string{}
	}
	b, err := json.Marshal(m)
	return string(b), err
}

func decodeAttrs(s string) (map[string]string, error) {
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("attrs: %w", err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// encodeArch is an architecture as a TEXT parameter, NULL for none.
func encodeArch(a *graph.Arch) (any, error) {
	if a == nil {
		return nil, nil
	}
	b, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("architecture: %w", err)
	}
	return string(b), nil
}

func decodeArch(s sql.NullString) (*graph.Arch, error) {
	if !s.Valid {
		return nil, nil
	}
	a := new(graph.Arch)
	if err := json.Unmarshal([]byte(s.String), a); err != nil {
		return nil, fmt.Errorf("architecture: %w", err)
	}
	return a, nil
}

// label renders point value i for the trial_params table.
func label(ps []space.Param, i int, v float64) (name, text string) {
	if i < len(ps) {
		return ps[i].Name, ps[i].Format(v)
	}
	return "", strconv.FormatFloat(v, 'g', -1, 64)
}
