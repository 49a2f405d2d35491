package plots

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/morphml/morphml/core/search"
)

// Metric is a number read from each trial for an axis: one of the study's
// objectives, or a numeric trial attribute such as the architecture's
// parameter count (search.AttrArchParams). The zero Metric is objective 0.
type Metric struct {
	Name      string           // axis label; empty: a default name
	Objective int              // index into Trial.Values, when Attr is empty
	Attr      string           // a numeric trial attribute, instead of an objective
	Direction search.Direction // which way is better (objectives: taken from the study)
}

// ObjectiveMetric is objective i of the study, named "value" when the study
// has one objective and "value0", "value1" ... otherwise.
func ObjectiveMetric(info search.StudyInfo, i int) Metric {
	m := Metric{Objective: i}
	m, _ = m.resolve(info)
	return m
}

// AttrMetric is a numeric trial attribute, e.g. AttrMetric(search.AttrArchParams,
// search.Minimize) for the size of each trial's architecture.
func AttrMetric(attr string, dir search.Direction) Metric {
	return Metric{Name: attrName(attr), Attr: attr, Direction: dir}
}

func attrName(attr string) string {
	switch attr {
	case search.AttrArchParams:
		return "parameters"
	case search.AttrArchFLOPs:
		return "FLOPs"
	}
	return attr
}

// ParseMetric reads a metric as the command line writes it: "value" (the
// first objective), "value0", "value1" ..., "params" (the architecture's
// parameters, minimized), "flops" (its FLOPs, minimized), or "attr:NAME"
// with an optional ":min" or ":max" (default min) for any numeric trial
// attribute.
func ParseMetric(info search.StudyInfo, s string) (Metric, error) {
	switch s {
	case "params":
		return AttrMetric(search.AttrArchParams, search.Minimize), nil
	case "flops":
		return AttrMetric(search.AttrArchFLOPs, search.Minimize), nil
	case "value":
		return ObjectiveMetric(info, 0), nil
	}
	if rest, ok := strings.CutPrefix(s, "value"); ok {
		i, err := strconv.Atoi(rest)
		if err != nil || i < 0 || i >= max(1, len(info.Directions)) {
			return Metric{}, fmt.Errorf("metric %q: study %q has %d objectives (value0..value%d)",
				s, info.Name, max(1, len(info.Directions)), max(1, len(info.Directions))-1)
		}
		return ObjectiveMetric(info, i), nil
	}
	if rest, ok := strings.CutPrefix(s, "attr:"); ok {
		name, dir, _ := strings.Cut(rest, ":")
		d := search.Minimize
		if dir != "" {
			var err error
			if d, err = search.ParseDirection(dir); err != nil {
				return Metric{}, fmt.Errorf("metric %q: %w", s, err)
			}
		}
		if name == "" {
			return Metric{}, fmt.Errorf("metric %q: no attribute name after attr:", s)
		}
		return AttrMetric(name, d), nil
	}
	return Metric{}, fmt.Errorf("unknown metric %q (want value, value0, value1 ..., params, flops or attr:NAME[:min|max])", s)
}

// resolve fills in the name and, for objectives, the direction from the
// study, and checks the objective index.
func (m Metric) resolve(info search.StudyInfo) (Metric, error) {
	if m.Attr != "" {
		if m.Name == "" {
			m.Name = attrName(m.Attr)
		}
		return m, nil
	}
	n := max(1, len(info.Directions))
	if m.Objective < 0 || m.Objective >= n {
		return m, fmt.Errorf("objective %d: study %q has %d objective(s)", m.Objective, info.Name, n)
	}
	if m.Objective < len(info.Directions) {
		m.Direction = info.Directions[m.Objective]
	} else {
		m.Direction = search.Maximize
	}
	if m.Name == "" {
		m.Name = "value"
		if n > 1 {
			m.Name = "value" + strconv.Itoa(m.Objective)
		}
	}
	return m, nil
}

// Label is the axis label: the name and the direction.
func (m Metric) Label() string {
	if m.Direction == search.Minimize {
		return m.Name + " (lower is better)"
	}
	return m.Name + " (higher is better)"
}

// Of reads the metric from a complete trial; ok is false for a trial that is
// not complete or lacks a finite value.
func (m Metric) Of(t search.Trial) (v float64, ok bool) {
	if t.State != search.Complete {
		return math.NaN(), false
	}
	if m.Attr != "" {
		s, found := t.Attrs[m.Attr]
		if !found {
			return math.NaN(), false
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return math.NaN(), false
		}
		return v, true
	}
	v = t.Value(m.Objective)
	return v, !math.IsNaN(v) && !math.IsInf(v, 0)
}

// better reports whether a is strictly better than b.
func (m Metric) better(a, b float64) bool {
	if m.Direction == search.Minimize {
		return a < b
	}
	return a > b
}

// byID returns the trials sorted by ID (stores return them so already).
func byID(trials []search.Trial) []search.Trial {
	if slices.IsSortedFunc(trials, func(a, b search.Trial) int { return a.ID - b.ID }) {
		return trials
	}
	out := slices.Clone(trials)
	slices.SortStableFunc(out, func(a, b search.Trial) int { return a.ID - b.ID })
	return out
}

// count returns the trials in each state.
func count(trials []search.Trial) map[search.State]int {
	n := map[search.State]int{}
	for _, t := range trials {
		n[t.State]++
	}
	return n
}
