package plots

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// synthInfo is a hyper-parameter study whose objective depends mostly on
// "op", then on "lr", a little on "depth" and not at all on "seed_noise".
func synthInfo(dirs ...search.Direction) search.StudyInfo {
	if len(dirs) == 0 {
		dirs = []search.Direction{search.Maximize}
	}
	return search.StudyInfo{
		Name:       "synth",
		Directions: dirs,
		Params: []space.Param{
			space.NewCategorical("op", "conv3x3", "conv1x1", "avgpool", "skip"),
			space.NewFloat("lr", 1e-4, 1e-1, true),
			space.NewInt("depth", 1, 8, false),
			space.NewCategorical("seed_noise", "a", "b", "c"),
			space.NewCategorical("fixed", "only"),
		},
	}
}

// synthTrials makes n trials: every 9th is pruned after a few steps, every
// 13th failed, the rest complete with a 10-step learning curve. With two
// objectives the second is the parameter count (also in the arch_params
// attribute).
func synthTrials(n int, objectives int, seed uint64) []search.Trial {
	rng := rand.New(rand.NewPCG(seed, 7))
	var out []search.Trial
	for id := range n {
		op := rng.IntN(4)
		lr := math.Exp(math.Log(1e-4) + rng.Float64()*(math.Log(1e-1)-math.Log(1e-4)))
		depth := 1 + rng.IntN(8)
		noise := rng.IntN(3)
		acc := 70 + []float64{10, 4, 1, 0}[op] - 3*math.Pow(math.Log10(lr)+2.5, 2) + 0.4*float64(depth) + 0.3*rng.NormFloat64()
		params := float64([]int{9, 1, 0, 0}[op]*depth*1000 + 5000)
		t := search.Trial{
			ID:     id,
			Params: space.Point{float64(op), lr, float64(depth), float64(noise), 0},
			State:  search.Complete,
			Attrs:  map[string]string{search.AttrArchParams: strconv.FormatFloat(params, 'f', -1, 64)},
		}
		steps := 10
		switch {
		case id%13 == 12:
			t.State, steps = search.Failed, 0
			t.Attrs[search.AttrError] = "out of memory"
		case id%9 == 8:
			t.State, steps = search.Pruned, 2+id%4
		}
		for s := 1; s <= steps; s++ {
			t.Curve = append(t.Curve, search.Step{Step: s, Value: acc * (1 - 0.5*math.Exp(-float64(s)/2.5))})
		}
		if t.State == search.Complete {
			t.Values = []float64{acc}
			if objectives > 1 {
				t.Values = append(t.Values, params)
			}
		}
		out = append(out, t)
	}
	return out
}
