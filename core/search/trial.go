package search

import (
	"fmt"
	"math"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
)

// State is where a trial is in its life.
type State int

const (
	Running  State = iota // asked, being evaluated
	Complete              // evaluated; Values holds the objectives
	Pruned                // stopped early by a pruner; Curve holds what it reported
	Failed                // the evaluation failed or the point broke a constraint; Attrs["error"] says why
)

var stateNames = [...]string{"running", "complete", "pruned", "failed"}

func (s State) String() string {
	if int(s) < len(stateNames) && s >= 0 {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// ParseState is the inverse of State.String.
func ParseState(s string) (State, error) {
	for i, n := range stateNames {
		if n == s {
			return State(i), nil
		}
	}
	return 0, fmt.Errorf("unknown trial state %q", s)
}

// Finished reports whether the state is final.
func (s State) Finished() bool { return s != Running }

// Direction says whether an objective is maximized or minimized.
type Direction int

const (
	Maximize Direction = iota
	Minimize
)

func (d Direction) String() string {
	if d == Minimize {
		return "minimize"
	}
	return "maximize"
}

// ParseDirection is the inverse of Direction.String.
func ParseDirection(s string) (Direction, error) {
	switch s {
	case "maximize", "max":
		return Maximize, nil
	case "minimize", "min":
		return Minimize, nil
	}
	return 0, fmt.Errorf("unknown direction %q (want maximize or minimize)", s)
}

// Step is one intermediate value reported during an evaluation.
type Step struct {
	Step  int     `json:"step"`
	Value float64 `json:"value"`
}

// Attribute keys the loop sets on trials.
const (
	AttrError      = "error"       // why a trial failed
	AttrCachedBy   = "cached_by"   // the ID of the trial whose result was reused
	AttrInfeasible = "infeasible"  // "true" when a constraint rejected the point
	AttrArchParams = "arch_params" // trainable parameters of the trial's architecture
	AttrArchFLOPs  = "arch_flops"  // FLOPs of one forward pass of the architecture
	AttrWorker     = "worker"      // who evaluated the trial (remote workers)
)

// Trial is the record of one evaluation. A finished trial is never modified:
// functions that change a trial return a copy.
type Trial struct {
	ID       int               `json:"id"` // 0, 1, 2 ... within its study
	Params   space.Point       `json:"params"`
	Arch     *graph.Arch       `json:"arch,omitempty"`
	ArchHash string            `json:"arch_hash,omitempty"` // graph.Hash of Arch
	State    State             `json:"state"`
	Values   []float64         `json:"values,omitempty"` // one per objective, when Complete
	Curve    []Step            `json:"curve,omitempty"`
	Attrs    map[string]string `json:"attrs,omitempty"`
	Started  time.Time         `json:"started"`
	Finished time.Time         `json:"finished"`
}

// Value returns objective i, or NaN when the trial has none.
func (t Trial) Value(i int) float64 {
	if i < len(t.Values) {
		return t.Values[i]
	}
	return math.NaN()
}

// Duration is the wall time the evaluation took.
func (t Trial) Duration() time.Duration {
	if t.Finished.IsZero() {
		return 0
	}
	return t.Finished.Sub(t.Started)
}

// Clone returns a deep copy (the Arch is shared: it is immutable).
func (t Trial) Clone() Trial {
	c := t
	c.Params = t.Params.Clone()
	c.Values = append([]float64(nil), t.Values...)
	c.Curve = append([]Step(nil), t.Curve...)
	if t.Attrs != nil {
		c.Attrs = make(map[string]string, len(t.Attrs))
		for k, v := range t.Attrs {
			c.Attrs[k] = v
		}
	}
	return c
}
