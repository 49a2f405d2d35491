package space

import (
	"fmt"
	"math"
	"strconv"
)

// Kind is the type of a parameter.
type Kind int

const (
	Categorical Kind = iota // one of Choices; the point holds the index
	Int                     // an integer in [Low, High]
	Float                   // a real number in [Low, High]
)

func (k Kind) String() string {
	switch k {
	case Categorical:
		return "categorical"
	case Int:
		return "int"
	case Float:
		return "float"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Param is one dimension of a space.
type Param struct {
	Name    string
	Kind    Kind
	Choices []string // Categorical: the values as text ("32", "relu")
	Low     float64  // Int, Float: inclusive bounds
	High    float64
	Log     bool // Int, Float: sample on a log scale (Low > 0)
}

// NewCategorical returns a categorical parameter.
func NewCategorical(name string, choices ...string) Param {
	return Param{Name: name, Kind: Categorical, Choices: choices}
}

// NewInt returns an integer parameter in [low, high].
func NewInt(name string, low, high int, log bool) Param {
	return Param{Name: name, Kind: Int, Low: float64(low), High: float64(high), Log: log}
}

// NewFloat returns a float parameter in [low, high].
func NewFloat(name string, low, high float64, log bool) Param {
	return Param{Name: name, Kind: Float, Low: low, High: high, Log: log}
}

// Validate checks the parameter's own definition.
func (p Param) Validate() error {
	if p.Name == "" {
		return fmt.Errorf("parameter without a name")
	}
	switch p.Kind {
	case Categorical:
		if len(p.Choices) == 0 {
			return fmt.Errorf("parameter %q: no choices", p.Name)
		}
	case Int, Float:
		if !(p.Low <= p.High) {
			return fmt.Errorf("parameter %q: low %v is above high %v", p.Name, p.Low, p.High)
		}
		if p.Log && p.Low <= 0 {
			return fmt.Errorf("parameter %q: a log scale needs low > 0, got %v", p.Name, p.Low)
		}
	default:
		return fmt.Errorf("parameter %q: unknown kind %v", p.Name, p.Kind)
	}
	return nil
}

// Cardinality is the number of distinct values (+Inf for floats).
func (p Param) Cardinality() float64 {
	switch p.Kind {
	case Categorical:
		return float64(len(p.Choices))
	case Int:
		return p.High - p.Low + 1
	}
	return math.Inf(1)
}

// Contains reports whether v is a legal encoded value.
func (p Param) Contains(v float64) bool {
	switch p.Kind {
	case Categorical:
		return v == math.Trunc(v) && v >= 0 && int(v) < len(p.Choices)
	case Int:
		return v == math.Trunc(v) && v >= p.Low && v <= p.High
	case Float:
		return v >= p.Low && v <= p.High
	}
	return false
}

// Format renders an encoded value for people and stores: the choice for a
// categorical, the number otherwise.
func (p Param) Format(v float64) string {
	switch p.Kind {
	case Categorical:
		i := int(v)
		if i >= 0 && i < len(p.Choices) {
			return p.Choices[i]
		}
		return fmt.Sprintf("<bad index %v>", v)
	case Int:
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Index returns the index of a categorical choice, or -1.
func (p Param) Index(choice string) int {
	for i, c := range p.Choices {
		if c == choice {
			return i
		}
	}
	return -1
}
