package space

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/morphml/morphml/core/graph"
)

// Point is one configuration: Point[i] is the encoded value of Space.Params[i].
type Point []float64

// Clone returns a copy.
func (p Point) Clone() Point { return append(Point(nil), p...) }

// Equal reports whether two points are identical.
func (p Point) Equal(o Point) bool {
	if len(p) != len(o) {
		return false
	}
	for i := range p {
		if p[i] != o[i] {
			return false
		}
	}
	return true
}

// Key is a string usable as a map key for the point.
func (p Point) Key() string { return fmt.Sprint([]float64(p)) }

// Decoder turns a point into an architecture. Layer-sequence and cell spaces
// are decoders; a pure hyper-parameter space has none.
type Decoder interface {
	Decode(p Point) (*graph.Arch, error)
}

// ErrConstraint marks a point whose architecture breaks a constraint; the
// search records such a trial as infeasible without evaluating it.
var ErrConstraint = errors.New("constraint violated")

// Space is a flat list of parameters with an optional decoder to an
// architecture and constraints on that architecture.
type Space struct {
	Name    string
	Params  []Param
	Decoder Decoder // nil for hyper-parameter-only spaces
	// MaxParams and MaxFLOPs bound the decoded architecture (0 = no bound).
	MaxParams int64
	MaxFLOPs  int64
}

// Validate checks every parameter and that names are unique.
func (s *Space) Validate() error {
	seen := map[string]bool{}
	for _, p := range s.Params {
		if err := p.Validate(); err != nil {
			return fmt.Errorf("space %q: %w", s.Name, err)
		}
		if seen[p.Name] {
			return fmt.Errorf("space %q: parameter %q defined twice", s.Name, p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

// Lookup returns the index of the named parameter, or -1.
func (s *Space) Lookup(name string) int {
	for i, p := range s.Params {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// Contains reports whether pt is a legal point of the space.
func (s *Space) Contains(pt Point) bool {
	if len(pt) != len(s.Params) {
		return false
	}
	for i, p := range s.Params {
		if !p.Contains(pt[i]) {
			return false
		}
	}
	return true
}

// Size is the number of distinct points (+Inf if any float parameter).
func (s *Space) Size() float64 {
	n := 1.0
	for _, p := range s.Params {
		n *= p.Cardinality()
	}
	return n
}

// Format renders a point as name=value pairs.
func (s *Space) Format(pt Point) map[string]string {
	m := make(map[string]string, len(pt))
	for i, p := range s.Params {
		if i < len(pt) {
			m[p.Name] = p.Format(pt[i])
		}
	}
	return m
}

// Decode builds the architecture of a point and checks the constraints.
// It returns (nil, nil) for a space without a decoder. A constraint
// violation wraps ErrConstraint.
func (s *Space) Decode(pt Point) (*graph.Arch, error) {
	if !s.Contains(pt) {
		return nil, fmt.Errorf("space %q: point %v is outside the space", s.Name, pt)
	}
	if s.Decoder == nil {
		return nil, nil
	}
	a, err := s.Decoder.Decode(pt)
	if err != nil {
		return nil, err
	}
	if s.MaxParams > 0 || s.MaxFLOPs > 0 {
		c, err := graph.Count(a)
		if err != nil {
			return nil, err
		}
		if s.MaxParams > 0 && c.Params > s.MaxParams {
			return a, fmt.Errorf("%w: %d parameters > max_params %d", ErrConstraint, c.Params, s.MaxParams)
		}
		if s.MaxFLOPs > 0 && c.FLOPs > s.MaxFLOPs {
			return a, fmt.Errorf("%w: %d FLOPs > max_flops %d", ErrConstraint, c.FLOPs, s.MaxFLOPs)
		}
	}
	return a, nil
}

// SampleParam draws one value of p uniformly (log-uniformly if p.Log).
func SampleParam(p Param, rng *rand.Rand) float64 {
	switch p.Kind {
	case Categorical:
		return float64(rng.IntN(len(p.Choices)))
	case Int:
		if p.Log {
			lo, hi := math.Log(p.Low-0.5+1e-9), math.Log(p.High+0.5)
			v := math.Round(math.Exp(lo + rng.Float64()*(hi-lo)))
			return math.Min(math.Max(v, p.Low), p.High)
		}
		return p.Low + float64(rng.IntN(int(p.High-p.Low)+1))
	}
	if p.Log {
		lo, hi := math.Log(p.Low), math.Log(p.High)
		return math.Exp(lo + rng.Float64()*(hi-lo))
	}
	return p.Low + rng.Float64()*(p.High-p.Low)
}

// Sample draws a point uniformly at random.
func (s *Space) Sample(rng *rand.Rand) Point {
	pt := make(Point, len(s.Params))
	for i, p := range s.Params {
		pt[i] = SampleParam(p, rng)
	}
	return pt
}

// Mutate returns a copy of pt with one parameter changed to a different value
// (for floats: a Gaussian step of 10% of the range, or of the log range).
// Parameters with a single value are never picked; if there is none, the copy
// is returned unchanged.
func (s *Space) Mutate(pt Point, rng *rand.Rand) Point {
	out := pt.Clone()
	var free []int
	for i, p := range s.Params {
		if p.Cardinality() > 1 {
			free = append(free, i)
		}
	}
	if len(free) == 0 {
		return out
	}
	i := free[rng.IntN(len(free))]
	out[i] = mutateParam(s.Params[i], pt[i], rng)
	return out
}

func mutateParam(p Param, v float64, rng *rand.Rand) float64 {
	switch p.Kind {
	case Categorical:
		n := len(p.Choices)
		return float64((int(v) + 1 + rng.IntN(n-1)) % n)
	case Int:
		for {
			w := SampleParam(p, rng)
			if w != v {
				return w
			}
		}
	}
	lo, hi, x := p.Low, p.High, v
	if p.Log {
		lo, hi, x = math.Log(lo), math.Log(hi), math.Log(v)
	}
	x += rng.NormFloat64() * 0.1 * (hi - lo)
	x = math.Min(math.Max(x, lo), hi)
	if p.Log {
		x = math.Exp(x)
	}
	return math.Min(math.Max(x, p.Low), p.High)
}

// Crossover mixes two parents uniformly: each parameter comes from a or b
// with equal probability.
func (s *Space) Crossover(a, b Point, rng *rand.Rand) Point {
	out := a.Clone()
	for i := range out {
		if rng.IntN(2) == 1 {
			out[i] = b[i]
		}
	}
	return out
}

// Neighbours lists the points that differ from pt in exactly one discrete
// parameter (every other choice of a categorical; the adjacent values of an
// integer), and for float parameters two points ±5% of the range away.
// The order is deterministic.
func (s *Space) Neighbours(pt Point) []Point {
	var out []Point
	for i, p := range s.Params {
		switch p.Kind {
		case Categorical:
			for c := range p.Choices {
				if float64(c) != pt[i] {
					n := pt.Clone()
					n[i] = float64(c)
					out = append(out, n)
				}
			}
		case Int, Float:
			step := 1.0
			if p.Kind == Float {
				step = 0.05 * (p.High - p.Low)
			}
			for _, d := range []float64{-step, step} {
				v := pt[i] + d
				if step > 0 && v >= p.Low && v <= p.High {
					n := pt.Clone()
					n[i] = v
					out = append(out, n)
				}
			}
		}
	}
	return out
}
