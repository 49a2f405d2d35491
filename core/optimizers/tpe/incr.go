package tpe

import (
	"math"
	"sort"
)

// incr keeps the bad group's Parzen estimators up to date from one ask to
// the next instead of refitting them: the bad group changes little between
// asks (the new trials join it at the end, in Done order, unless they enter
// the good group and push its worst trial out), so only the kernels whose
// bandwidth changes (the new ones and their neighbours) are updated.
//
// The kernel weights are Optuna's ramp, w_r = lo + r d for the bad trial of
// rank r (in Done order) below R = N-25 and 1 for the 25 newest, with lo
// and d functions of the group size N; they change every ask, but linearly,
// so each numeric parameter keeps two sets of fast-Gauss-transform moments
// of its kernels of the smallest bandwidth: M0 = sum k_i A_i and M1 = sum
// r_i k_i A_i (k_i the kernel's truncated-Gaussian normalisation, A_i its
// Hermite moments). An ask combines them as (lo M0 + d M1) / total, corrects
// the 25 newest kernels to weight 1, and evaluates the transform: O(boxes)
// per parameter instead of O(n). The kernels with a larger bandwidth (few)
// are summed directly, as in mixture.build. When a trial leaves or rejoins
// the bad group in the middle of Done order (the good group changed), the
// ranks of the trials after it shift by one, and so does M1 by their
// moments (recomputed in full after 256 such shifts, against rounding).
//
// The estimator is the same as mixture.build's (same bandwidths, weights,
// windows and transform); only the order of the floating-point sums
// differs, by a relative 1e-14 or so. The state is used while the bad
// group has at least incrMin trials (the smallest bandwidth, 1/min(100,
// N+1), is then fixed), no running trial is counted (constant liar) and at
// least fgtMin kernels have the smallest bandwidth; otherwise Ask refits.
type incr struct {
	valid  bool
	epoch  int     // the cache's epoch the state was built from
	nDone  int     // Done trials taken in
	good   []int   // the good group at the last update (Done indices, sorted)
	isBad  []bool  // by Done index
	rank   []int32 // by Done index: rank in the bad group (in Done order)
	byRank []int32 // Done indices of the bad group in Done order
	params []incrParam
	shifts int   // rank shifts since the moments were last recomputed
	leave  []int // scratch: old trials that left / joined the bad group
	join   []int
	// FGT geometry for the smallest bandwidth incrSigma.
	scale float64
	boxes int
}

// incrParam is the bad group's estimator state for one numeric parameter.
type incrParam struct {
	pos    []int32   // bad Done indices sorted by (unit value, index)
	direct []int32   // those whose bandwidth is above the smallest, same order
	sig    []float64 // by Done index
	den    []float64 // sigma * truncMass * sqrt(2 pi), by Done index
	rden   []float64 // 1 / den
	inv    []float64 // 1 / sigma
	cls    []int8    // bandwidth class, by Done index
	m0, m1 []float64 // [box*fgtTerms+n]: moments of the class-0 kernels
	cnt    []int32   // class-0 kernels per box
	n0     int       // class-0 kernels
}

// incrMin is the bad group size from which the smallest bandwidth is fixed
// (minSigma(n) = 1/100 for n >= 99).
const incrMin = 99

var incrSigma = minSigma(incrMin)

// bandClass is the bandwidth class of mixture.build: 0 for the smallest
// bandwidth minS, c for bandwidths up to 2^c minS.
func bandClass(s, minS float64) int {
	cl := 0
	for lim := minS * (1 + 1e-12); s > lim; lim *= 2 {
		cl++
	}
	return cl
}

// update brings the state to the split m of the cached trials c; it
// returns false when the state cannot be used for this ask.
func (in *incr) update(o *Optimizer, m *model) bool {
	c := &o.c
	n := len(c.ids)
	nBad := m.nBad
	if len(m.liars) > 0 || nBad < incrMin || len(o.num) == 0 {
		in.valid = false
		return false
	}
	if !in.valid || in.nDone > n || in.epoch != c.epoch {
		in.init(o, m)
		return in.ready()
	}
	// Which old trials changed group: the symmetric difference of the good
	// groups (an old trial's class never changes).
	a, b := in.good, m.good
	i, j := 0, 0
	in.leave, in.join = in.leave[:0], in.join[:0]
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			in.join = append(in.join, a[i]) // was good, now bad
			i++
		case i == len(a) || b[j] < a[i]:
			if b[j] < in.nDone {
				in.leave = append(in.leave, b[j]) // was bad, now good
			}
			j++
		default:
			i++
			j++
		}
	}
	in.good = append(in.good[:0], m.good...)
	in.grow(n, o)
	for _, i := range in.leave {
		in.leaveBad(o, i)
	}
	for _, i := range in.join {
		in.joinBad(o, i)
	}
	for i := in.nDone; i < n; i++ {
		if m.badW[i] <= 0 {
			continue
		}
		in.isBad[i] = true
		in.rank[i] = int32(len(in.byRank))
		in.byRank = append(in.byRank, int32(i))
		for k := range in.params {
			in.insert(o, k, i)
		}
	}
	in.nDone = n
	// The shifts add and subtract partial sums: start the moments afresh
	// now and then so that rounding cannot pile up.
	if in.shifts >= 256 {
		in.shifts = 0
		for k := range in.params {
			in.remoment(o, k)
		}
	}
	return in.ready()
}

// joinBad puts old trial i (it left the good group) back in the bad group:
// the bad trials after it in Done order move one rank up.
func (in *incr) joinBad(o *Optimizer, i int) {
	q := sort.Search(len(in.byRank), func(x int) bool { return in.byRank[x] > int32(i) })
	in.shift(o, q, 1)
	in.byRank = append(in.byRank, 0)
	copy(in.byRank[q+1:], in.byRank[q:])
	in.byRank[q] = int32(i)
	in.isBad[i], in.rank[i] = true, int32(q)
	for k := range in.params {
		in.insert(o, k, i)
	}
}

// leaveBad takes old trial i (it entered the good group) out of the bad
// group: the bad trials after it move one rank down.
func (in *incr) leaveBad(o *Optimizer, i int) {
	q := int(in.rank[i])
	for k := range in.params {
		in.remove(o, k, i)
	}
	copy(in.byRank[q:], in.byRank[q+1:])
	in.byRank = in.byRank[:len(in.byRank)-1]
	in.isBad[i], in.rank[i] = false, -1
	in.shift(o, q, -1)
}

// shift adds by to the ranks of the bad trials from rank q on, and by times
// their class-0 moments to M1.
func (in *incr) shift(o *Optimizer, q int, by int32) {
	tail := in.byRank[q:]
	for _, i := range tail {
		in.rank[i] += by
	}
	in.shifts++
	sign := float64(by)
	for k := range in.params {
		p := &in.params[k]
		u := o.c.unit[k]
		for _, i := range tail {
			if p.cls[i] != 0 {
				continue
			}
			t := u[i] * in.scale
			b := int(t)
			a := t - (float64(b) + 0.5)
			m1 := (*[fgtTerms]float64)(p.m1[b*fgtTerms:])
			a2 := a * a
			p0 := sign * p.rden[i]
			p1 := p0 * a
			for n := 0; n < fgtTerms; n += 2 {
				m1[n] += p0 * invFact[n]
				m1[n+1] += p1 * invFact[n+1]
				p0 *= a2
				p1 *= a2
			}
		}
	}
}

// ready reports whether every parameter has enough kernels of the smallest
// bandwidth for the transform (as mixture.build requires).
func (in *incr) ready() bool {
	for k := range in.params {
		if in.params[k].n0 < fgtMin {
			return false
		}
	}
	return true
}

// grow extends the per-trial arrays to n Done trials.
func (in *incr) grow(n int, o *Optimizer) {
	for len(in.isBad) < n {
		in.isBad = append(in.isBad, false)
		in.rank = append(in.rank, -1)
	}
	for k := range in.params {
		p := &in.params[k]
		for len(p.sig) < n {
			p.sig, p.den, p.cls = append(p.sig, 0), append(p.den, 0), append(p.cls, -1)
			p.rden, p.inv = append(p.rden, 0), append(p.inv, 0)
		}
	}
}

// init builds the state from scratch.
func (in *incr) init(o *Optimizer, m *model) {
	c := &o.c
	n := len(c.ids)
	*in = incr{valid: true, epoch: c.epoch, good: append(in.good[:0], m.good...), isBad: in.isBad[:0], rank: in.rank[:0],
		byRank: in.byRank[:0], params: in.params, leave: in.leave, join: in.join}
	in.scale = 1 / (math.Sqrt2 * incrSigma)
	in.boxes = int(in.scale) + 2
	if len(in.params) != len(o.num) {
		in.params = make([]incrParam, len(o.num))
	}
	for k := range in.params {
		p := &in.params[k]
		*p = incrParam{pos: p.pos[:0], direct: p.direct[:0], sig: p.sig[:0], den: p.den[:0], cls: p.cls[:0],
			rden: p.rden[:0], inv: p.inv[:0],
			m0: p.m0, m1: p.m1, cnt: p.cnt}
	}
	in.grow(n, o)
	for i := range n {
		in.isBad[i] = m.badW[i] > 0
	}
	in.reRank(n)
	for k := range in.params {
		p := &in.params[k]
		for _, i := range c.order[k] {
			if in.isBad[i] {
				p.pos = append(p.pos, i)
			}
		}
		for q := range p.pos {
			in.setSigma(o, k, q, false)
		}
		in.remoment(o, k)
	}
	in.nDone = n
}

// reRank numbers the bad trials in Done order.
func (in *incr) reRank(n int) {
	in.byRank = in.byRank[:0]
	for i := range n {
		if in.isBad[i] {
			in.rank[i] = int32(len(in.byRank))
			in.byRank = append(in.byRank, int32(i))
		} else {
			in.rank[i] = -1
		}
	}
}

// find returns the position of Done index i (or where it goes) in the
// sorted bad kernels of parameter k.
func (in *incr) find(o *Optimizer, k int, i int32) int {
	u := o.c.unit[k]
	pos := in.params[k].pos
	v := u[i]
	return sort.Search(len(pos), func(q int) bool {
		w := u[pos[q]]
		return w > v || (w == v && pos[q] >= i)
	})
}

// insert adds bad trial i to parameter k's kernels and updates the
// bandwidths of its neighbours.
func (in *incr) insert(o *Optimizer, k, i int) {
	p := &in.params[k]
	q := in.find(o, k, int32(i))
	p.pos = append(p.pos, 0)
	copy(p.pos[q+1:], p.pos[q:])
	p.pos[q] = int32(i)
	p.cls[i] = -1
	for _, r := range []int{q - 1, q, q + 1} {
		if r >= 0 && r < len(p.pos) {
			in.setSigma(o, k, r, true)
		}
	}
}

// remove takes bad trial i out of parameter k's kernels and updates the
// bandwidths of its neighbours.
func (in *incr) remove(o *Optimizer, k, i int) {
	p := &in.params[k]
	q := in.find(o, k, int32(i))
	in.setClass(o, k, i, -1, true)
	copy(p.pos[q:], p.pos[q+1:])
	p.pos = p.pos[:len(p.pos)-1]
	for _, r := range []int{q - 1, q} {
		if r >= 0 && r < len(p.pos) {
			in.setSigma(o, k, r, true)
		}
	}
}

// setSigma recomputes the bandwidth of the kernel at position q (as
// sigmas does) and moves it to its class.
func (in *incr) setSigma(o *Optimizer, k, q int, moments bool) {
	p := &in.params[k]
	u := o.c.unit[k]
	n := len(p.pos)
	i := p.pos[q]
	mu := u[i]
	var s float64
	switch {
	case n == 1:
		s = max(mu, 1-mu)
	case q == 0:
		s = u[p.pos[1]] - mu
	case q == n-1:
		s = mu - u[p.pos[n-2]]
	default:
		s = max(mu-u[p.pos[q-1]], u[p.pos[q+1]]-mu)
	}
	if s < incrSigma {
		s = incrSigma
	} else if s > 1 {
		s = 1
	}
	if p.cls[i] >= 0 && s == p.sig[i] {
		return
	}
	in.setClass(o, k, int(i), -1, moments)
	p.sig[i] = s
	p.den[i] = s * truncMass(mu, s) * sqrt2pi
	p.rden[i], p.inv[i] = 1/p.den[i], 1/s
	in.setClass(o, k, int(i), bandClass(s, incrSigma), moments)
}

// setClass moves kernel i of parameter k to class cl (-1: none), keeping the
// direct list and, with moments, the class-0 moments up to date.
func (in *incr) setClass(o *Optimizer, k, i, cl int, moments bool) {
	p := &in.params[k]
	old := int(p.cls[i])
	if old == cl {
		return
	}
	switch {
	case old == 0:
		p.n0--
		if moments {
			in.addMoments(o, k, i, -1)
		}
	case old > 0:
		q := in.findDirect(o, k, int32(i))
		copy(p.direct[q:], p.direct[q+1:])
		p.direct = p.direct[:len(p.direct)-1]
	}
	p.cls[i] = int8(cl)
	switch {
	case cl == 0:
		p.n0++
		if moments {
			in.addMoments(o, k, i, 1)
		}
	case cl > 0:
		q := in.findDirect(o, k, int32(i))
		p.direct = append(p.direct, 0)
		copy(p.direct[q+1:], p.direct[q:])
		p.direct[q] = int32(i)
	}
}

func (in *incr) findDirect(o *Optimizer, k int, i int32) int {
	u := o.c.unit[k]
	d := in.params[k].direct
	v := u[i]
	return sort.Search(len(d), func(q int) bool {
		w := u[d[q]]
		return w > v || (w == v && d[q] >= i)
	})
}

// addMoments adds sign times kernel i's moments to M0 and M1.
func (in *incr) addMoments(o *Optimizer, k, i int, sign float64) {
	p := &in.params[k]
	mu := o.c.unit[k][i]
	t := mu * in.scale
	b := int(t)
	a := t - (float64(b) + 0.5)
	c := sign * p.rden[i]
	r := float64(in.rank[i])
	m0 := (*[fgtTerms]float64)(p.m0[b*fgtTerms:])
	m1 := (*[fgtTerms]float64)(p.m1[b*fgtTerms:])
	if sign > 0 {
		p.cnt[b]++
	} else {
		p.cnt[b]--
	}
	a2 := a * a
	p0, p1 := c, c*a
	for n := 0; n < fgtTerms; n += 2 {
		e0, e1 := p0*invFact[n], p1*invFact[n+1]
		m0[n] += e0
		m0[n+1] += e1
		m1[n] += r * e0
		m1[n+1] += r * e1
		p0 *= a2
		p1 *= a2
	}
}

// remoment recomputes parameter k's moments from its class-0 kernels.
func (in *incr) remoment(o *Optimizer, k int) {
	p := &in.params[k]
	nm := in.boxes * fgtTerms
	if cap(p.m0) < nm {
		p.m0, p.m1 = make([]float64, nm), make([]float64, nm)
		p.cnt = make([]int32, in.boxes)
	}
	p.m0, p.m1, p.cnt = p.m0[:nm], p.m1[:nm], p.cnt[:in.boxes]
	clear(p.m0)
	clear(p.m1)
	clear(p.cnt)
	for _, i := range p.pos {
		if p.cls[i] == 0 {
			in.addMoments(o, k, int(i), 1)
		}
	}
}

// weights returns the bad group's ramp (Optuna's default_weights for N
// trials: w_r = lo + r d below R, 1 from R on) and the total weight with
// the prior's.
func (in *incr) weights(prior float64) (lo, d float64, R int, total float64) {
	N := len(in.byRank)
	R = N - 25
	lo = 1 / float64(N)
	if R > 1 {
		d = (1 - lo) / float64(R-1)
	}
	// sum over r < R of lo + r*(1-lo)/(R-1) = R lo + R (1-lo) / 2
	total = prior + float64(R)*lo + float64(R)*(1-lo)/2 + float64(N-R)
	if R == 1 {
		total = prior + lo + float64(N-1)
	}
	return lo, d, R, total
}

// bad sets mix to the bad group's estimator for parameter k.
func (in *incr) bad(o *Optimizer, k int, mix *mixture) {
	p := &in.params[k]
	u := o.c.unit[k]
	prior := o.cfg.PriorWeight
	lo, d, R, total := in.weights(prior)
	inv := 1 / total
	// The class-0 kernels: (lo M0 + d M1) / total, combined box by box as
	// the transform reads them, plus the correction of the 25 newest to
	// weight 1.
	g := &mix.fast
	g.setBoxes(in.boxes)
	a0, a1 := lo*inv, d*inv
	g.setLazy(p.m0, p.m1, a0, a1)
	sum := 0.0
	for b := range in.boxes {
		g.used[b] = p.cnt[b] > 0
		sum += a0*p.m0[b*fgtTerms] + a1*p.m1[b*fgtTerms]
	}
	for _, i := range in.byRank[R:] {
		if p.cls[i] != 0 {
			continue
		}
		r := int(in.rank[i])
		corr := (1 - (lo + float64(r)*d)) * inv * p.rden[i]
		sum += corr
		t := u[i] * in.scale
		b := int(t)
		a := t - (float64(b) + 0.5)
		m := g.box(b)
		pw := corr
		for n := range fgtTerms {
			m[n] += pw * invFact[n]
			pw *= a
		}
	}
	// The other classes, summed directly as mixture.build does.
	for c := range mix.classes {
		kc := &mix.classes[c]
		kc.mu, kc.inv, kc.coef, kc.maxS, kc.maxC = kc.mu[:0], kc.inv[:0], kc.coef[:0], 0, 0
	}
	mix.mu, mix.sig, mix.cum = mix.mu[:0], mix.sig[:0], mix.cum[:0]
	for len(mix.classes) == 0 {
		mix.classes = append(mix.classes, kclass{})
	}
	for _, i := range p.direct {
		cl := int(p.cls[i])
		for len(mix.classes) <= cl {
			mix.classes = append(mix.classes, kclass{})
		}
		r := int(in.rank[i])
		wt := 1.0
		if r < R {
			wt = lo + float64(r)*d
		}
		cf := wt * inv * p.rden[i]
		kc := &mix.classes[cl]
		kc.mu, kc.inv, kc.coef = append(kc.mu, u[i]), append(kc.inv, p.inv[i]), append(kc.coef, cf)
		kc.maxS, kc.maxC = max(kc.maxS, p.sig[i]), max(kc.maxC, cf)
	}
	mix.prior = prior / total / (priorMass * sqrt2pi)
	floor := tolerance * mix.prior * math.Exp(-0.125) / float64(len(mix.classes)+1)
	for c := range mix.classes {
		kc := &mix.classes[c]
		kc.window = -1
		if r := float64(len(kc.mu)) * kc.maxC / floor; len(kc.mu) > 0 && r > 1 {
			kc.window = kc.maxS * math.Sqrt(2*math.Log(r))
		}
	}
	g.active = true
	g.scale = in.scale
	g.reach = 1
	if r := sum / floor; r > 1 {
		g.reach = int(math.Ceil(math.Sqrt(math.Log(r)))) + 1
	}
}
