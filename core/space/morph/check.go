package morph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
)

// probes is how many random points checkArchs decodes besides the extremes.
const probes = 8

// checkArchs decodes the extreme points of the space (every parameter at its
// first choice or low bound, every one at its last choice or high bound)
// and a few seeded random points, and validates their graphs, so that a
// space with impossible architectures fails here rather than trial by trial.
// When none of them meets the Constraint, it adds a warning.
func (b *builder) checkArchs() {
	sp := b.file.Space
	if sp.Decoder == nil || len(sp.Params) > 0 && sp.Size() == 0 {
		return
	}
	low, high := make(space.Point, len(sp.Params)), make(space.Point, len(sp.Params))
	for i, p := range sp.Params {
		low[i], high[i] = p.Low, p.High
		if p.Kind == space.Categorical {
			low[i], high[i] = 0, float64(len(p.Choices)-1)
		}
	}
	pts := []space.Point{low, high}
	rng := rand.New(rand.NewPCG(1, 2))
	for range probes {
		pts = append(pts, sp.Sample(rng))
	}
	fits := false
	var smallest graph.Counts
	for i, pt := range pts {
		a, err := sp.Decoder.Decode(pt)
		var c graph.Counts
		if err == nil {
			c, err = graph.Count(a)
		}
		if err == nil {
			if (sp.MaxParams == 0 || c.Params <= sp.MaxParams) && (sp.MaxFLOPs == 0 || c.FLOPs <= sp.MaxFLOPs) {
				fits = true
			}
			if i == 0 || c.Params < smallest.Params {
				smallest.Params = c.Params
			}
			if i == 0 || c.FLOPs < smallest.FLOPs {
				smallest.FLOPs = c.FLOPs
			}
			continue
		}
		where := describePoint(sp, pt)
		if b.layers != nil {
			// A layer error goes where the layer is; its message says which point.
			b.layers.place(fmt.Errorf("%w (%s)", err, where), sp.Name, b.spaceAt)
		} else {
			b.e.at(b.spaceAt, "the space has impossible architectures: %v (%s)", err, where)
		}
		return
	}
	if ca := b.once[stConstraint]; !fits && ca != nil {
		var what []string
		if sp.MaxParams > 0 && smallest.Params > sp.MaxParams {
			what = append(what, fmt.Sprintf("max_params=%d (the smallest has %d parameters)", sp.MaxParams, smallest.Params))
		}
		if sp.MaxFLOPs > 0 && smallest.FLOPs > sp.MaxFLOPs {
			what = append(what, fmt.Sprintf("max_flops=%d (the smallest has %d FLOPs)", sp.MaxFLOPs, smallest.FLOPs))
		}
		if len(what) == 0 {
			what = append(what, "the constraints")
		}
		b.warn(ca.c.pos, "none of the %d architectures probed meets %s: most trials may be infeasible", len(pts), strings.Join(what, " and "))
	}
}

func describePoint(sp *space.Space, pt space.Point) string {
	if len(sp.Params) == 0 {
		return "its only architecture"
	}
	var parts []string
	for i, p := range sp.Params {
		if len(parts) == 8 {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, p.Name+"="+p.Format(pt[i]))
	}
	slices.Sort(parts[:min(len(parts), 8)])
	return "with " + strings.Join(parts, ", ")
}

// prefixDecoder decodes the first n values of a point: the architecture's
// parameters, before the Param statements' hyper-parameters.
type prefixDecoder struct {
	n int
	d space.Decoder
}

func (p prefixDecoder) Decode(pt space.Point) (*graph.Arch, error) {
	if len(pt) < p.n {
		return nil, fmt.Errorf("point has %d values, want at least %d", len(pt), p.n)
	}
	return p.d.Decode(pt[:p.n])
}
