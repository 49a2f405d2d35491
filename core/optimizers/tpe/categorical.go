package tpe

import (
	"math"
	"math/rand/v2"
)

// catSums is one group's weights per choice of every categorical parameter
// and its total weight with the prior's, summed over the group's trials in
// Done order (for all the parameters in one pass: the same additions as a
// pass per parameter, in the same order).
type catSums struct {
	sum   [][]float64 // [categorical parameter][choice]
	total float64
}

// sumCategorical fills s from the trial weights ws (by Done index; 0 leaves
// a trial out). idx, when not nil, lists (in Done order) the trials of
// positive weight, which are then visited alone.
func (o *Optimizer) sumCategorical(ws []float64, idx []int32, s *catSums) {
	if len(s.sum) != len(o.cat) {
		s.sum = make([][]float64, len(o.cat))
	}
	for k, pi := range o.cat {
		s.sum[k] = resize(s.sum[k], len(o.space.Params[pi].Choices))
		clear(s.sum[k])
	}
	ch := o.c.choice
	total := o.cfg.PriorWeight
	if idx != nil {
		for _, i := range idx {
			w := ws[i]
			for k, p := range s.sum {
				p[ch[k][i]] += w
			}
			total += w
		}
	} else {
		for i, w := range ws {
			if w > 0 {
				for k, p := range s.sum {
					p[ch[k][i]] += w
				}
				total += w
			}
		}
	}
	s.total = total
}

// sampleCategorical returns the best of EICandidates draws from l for the
// k-th categorical parameter (index pi of the space).
func (o *Optimizer) sampleCategorical(m *model, k, pi int, rng *rand.Rand) float64 {
	w := &o.w
	n := len(o.space.Params[pi].Choices)
	var lv, lw []float64
	for j, ri := range m.liars {
		lv, lw = append(lv, m.run[ri].Params[pi]), append(lw, m.liarW[j])
	}
	pl := o.categorical(&w.catGood, k, nil, nil, m.nGood, n, &w.catL)
	pg := o.categorical(&w.catBad, k, lv, lw, m.nBad, n, &w.catG)
	total := 0.0
	for _, v := range pl {
		total += v
	}
	best, bestScore := 0, math.Inf(-1)
	for range o.cfg.EICandidates {
		u := rng.Float64() * total
		c := 0
		for acc := pl[0]; acc < u && c < n-1; acc += pl[c] {
			c++
		}
		if s := math.Log(pl[c]) - math.Log(pg[c]); s > bestScore {
			best, bestScore = c, s
		}
	}
	return float64(best)
}

// categorical is Optuna's categorical Parzen estimator for the k-th
// categorical parameter: each observation's kernel puts prior/(n+1) on
// every choice and 1 more on its own, normalized, and the prior kernel is
// uniform; the group's weights come from s, plus the extra values xs with
// weights xw.
func (o *Optimizer) categorical(s *catSums, k int, xs, xw []float64, nObs, n int, buf *[]float64) []float64 {
	p := resize(*buf, n)
	*buf = p
	copy(p, s.sum[k])
	prior := o.cfg.PriorWeight
	total := s.total
	for j, x := range xs {
		p[int(x)] += xw[j]
		total += xw[j]
	}
	eps := prior / float64(nObs+1)
	obs := total - prior
	for c := range p {
		p[c] = (p[c]+eps*obs)/(total*(1+float64(n)*eps)) + prior/(total*float64(n))
	}
	return p
}
