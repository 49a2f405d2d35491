package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/train"
)

// Multi-objective NAS-Bench-201: accuracy against size. A search sees two
// objectives per architecture, its 12-epoch validation accuracy (maximize)
// and its trainable parameters (minimize, graph.Count of the decoded
// network); its result is the hypervolume of what it found.

// NB201MODirections are the directions of the multi-objective evaluator's
// two values: accuracy is maximized, parameters minimized.
func NB201MODirections() []search.Direction {
	return []search.Direction{search.Maximize, search.Minimize}
}

// nb201MOEvaluator returns {validation accuracy, parameters}.
type nb201MOEvaluator struct{ acc train.Evaluator }

// MultiObjectiveEvaluator returns an evaluator that scores an architecture
// decoded from space.NB201 by two values, in the order of
// NB201MODirections: its 12-epoch validation accuracy on the dataset (in
// percent, reported as step 12 like Evaluator) and its number of trainable
// parameters (graph.Count).
func (b *NB201) MultiObjectiveEvaluator(ds string) (train.Evaluator, error) {
	e, err := b.Evaluator(ds)
	if err != nil {
		return nil, err
	}
	return nb201MOEvaluator{e}, nil
}

// Evaluate implements train.Evaluator.
func (e nb201MOEvaluator) Evaluate(ctx context.Context, a *graph.Arch, r train.Reporter) ([]float64, error) {
	v, err := e.acc.Evaluate(ctx, a, r)
	if err != nil {
		return nil, err
	}
	c, err := graph.Count(a)
	if err != nil {
		return nil, fmt.Errorf("nb201: count the parameters: %w", err)
	}
	return []float64{v[0], float64(c.Params)}, nil
}

// nb201Params holds the trainable parameters of every cell of the table
// for one head size, computed once.
type nb201Params struct {
	once   sync.Once
	params []float64
	err    error
}

var nb201ParamsBy sync.Map // classes -> *nb201Params

// archParams returns the parameters of every cell of the table (by index)
// when decoded by space.NB201(classes).
func (b *NB201) archParams(classes int) ([]float64, error) {
	v, _ := nb201ParamsBy.LoadOrStore(classes, &nb201Params{})
	c := v.(*nb201Params)
	c.once.Do(func() {
		sp := space.NB201(classes)
		c.params = make([]float64, b.Len())
		workers := runtime.GOMAXPROCS(0)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < b.Len(); i += workers {
					p, err := space.ParseNB201(b.archs[i])
					if err == nil {
						var a *graph.Arch
						if a, err = sp.Decode(p); err == nil {
							var n graph.Counts
							n, err = graph.Count(a)
							c.params[i] = float64(n.Params)
						}
					}
					if err != nil && errs[w] == nil {
						errs[w] = fmt.Errorf("nb201: parameters of %s: %w", b.archs[i], err)
					}
				}
			}()
		}
		wg.Wait()
		c.err = errors.Join(errs...)
	})
	return c.params, c.err
}

// NB201MOConfig says what RunNB201MO measures. Zero values take the
// defaults.
type NB201MOConfig struct {
	Optimizer string         // registered optimizer name (default "nsga2")
	Options   search.Options // its options (nil: defaults)
	Dataset   string         // cifar10 (default), cifar100 or imagenet16-120
	Budget    int            // queries per run (default 100)
	Runs      int            // runs, run i seeded Seed+i (default 30)
	Seed      int64          // seed of run 0
	Parallel  int            // runs at once (default GOMAXPROCS); each run is serial
	Baseline  string         // optimizer measured beside it with the same seeds ("random"; empty: none)
}

// NB201MOArm is one optimizer over all runs. Hypervolumes are normalized
// (see NB201MOReport); ValHV[i], TestHV[i] and Front[i] belong to run i.
type NB201MOArm struct {
	Optimizer         string
	Options           search.Options // resolved
	ValHV             []float64      // of the (validation accuracy, parameters) the run saw
	TestHV            []float64      // of the 200-epoch test accuracy and parameters of the run's Pareto set
	Front             []int          // the size of the run's Pareto set
	ValMean, ValStd   float64        // of ValHV (Std: sample standard deviation)
	TestMean, TestStd float64        // of TestHV
	FrontMean         float64        // of Front
	RunTime           time.Duration  // summed over runs
}

// NB201MOReport is what RunNB201MO measured.
//
// Hypervolumes are normalized: the reference point is (the median accuracy
// of the table's cells, the largest parameter count of any cell), and the
// area is divided by that of the box between the reference point and the
// ideal point (the best accuracy of any cell, the fewest parameters of any
// cell); validation and test hypervolumes use the validation and test
// accuracies' own medians and bests. A cell worse than the median adds
// nothing, so the figures measure the competitive part of the front.
//
// A run's validation hypervolume is that of the (validation accuracy,
// parameters) values it saw. Its test hypervolume is that of its Pareto set
// on those values, each trial measured again by the 200-epoch test accuracy
// and the parameters of its own cell: test accuracies never choose
// anything.
type NB201MOReport struct {
	Dataset      string
	Budget, Runs int
	Seed         int64
	// The reference and ideal points (accuracy in percent, parameters).
	ValRef, TestRef, ValIdeal, TestIdeal [2]float64
	// OracleValHV is the hypervolume of the whole table on validation
	// accuracy; OracleTestHV that of the table's validation Pareto set on
	// test accuracy: the most the protocol allows.
	OracleValHV, OracleTestHV float64
	Optimizer                 NB201MOArm
	Baseline                  *NB201MOArm // nil without a baseline
	Elapsed                   time.Duration
}

// RunNB201MO runs cfg.Runs two-objective studies (validation accuracy and
// parameters, MultiObjectiveEvaluator) of the optimizer, and as many of the
// baseline, with cfg.Budget queries each, and reports the hypervolumes of
// what they found. progress, when not nil, is called after every finished
// study, from one goroutine at a time.
func RunNB201MO(ctx context.Context, cfg NB201MOConfig, progress func(done, total int)) (*NB201MOReport, error) {
	start := time.Now()
	cfg = moDefaults(cfg)
	if cfg.Budget < 1 || cfg.Runs < 1 {
		return nil, fmt.Errorf("nb201 multi-objective: budget %d and runs %d must be positive", cfg.Budget, cfg.Runs)
	}
	b, err := LoadNB201()
	if err != nil {
		return nil, err
	}
	d, err := dataset(cfg.Dataset)
	if err != nil {
		return nil, err
	}
	params, err := b.archParams(nb201Classes[d])
	if err != nil {
		return nil, err
	}
	rep := &NB201MOReport{Dataset: cfg.Dataset, Budget: cfg.Budget, Runs: cfg.Runs, Seed: cfg.Seed}
	rep.setBounds(b.acc[d], params)
	all := make([]moPoint, b.Len())
	for k := range all {
		all[k] = moPoint{val: b.acc[d][k].val12, params: params[k], arch: k}
	}
	rep.OracleValHV, rep.OracleTestHV = rep.hypervolumes(b.acc[d], params, all)

	arms := []*NB201MOArm{{Optimizer: cfg.Optimizer, Options: cfg.Options}}
	if cfg.Baseline != "" {
		arms = append(arms, &NB201MOArm{Optimizer: cfg.Baseline})
	}
	for _, a := range arms {
		f, ok := search.Lookup(a.Optimizer)
		if !ok {
			return nil, fmt.Errorf("nb201 multi-objective: unknown optimizer %q (known: %v)", a.Optimizer, search.Names())
		}
		if a.Options, err = f.Resolve(a.Options); err != nil {
			return nil, fmt.Errorf("nb201 multi-objective: %w", err)
		}
		a.ValHV, a.TestHV, a.Front = make([]float64, cfg.Runs), make([]float64, cfg.Runs), make([]int, cfg.Runs)
	}
	ev, _ := b.MultiObjectiveEvaluator(cfg.Dataset)
	sp := space.NB201(nb201Classes[d])

	type job struct{ arm, run int }
	jobs := make(chan job)
	type result struct {
		job
		set  []moPoint // the run's Pareto set
		took time.Duration
		err  error
	}
	results := make(chan result)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range min(cfg.Parallel, cfg.Runs*len(arms)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				t0 := time.Now()
				set, err := runNB201MOStudy(ctx, b, sp, ev, arms[j.arm], cfg, j.run)
				results <- result{j, set, time.Since(t0), err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for r := range cfg.Runs {
			for a := range arms {
				select {
				case jobs <- job{a, r}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	total, done := cfg.Runs*len(arms), 0
	var firstErr error
	for res := range results {
		if res.err != nil {
			if firstErr == nil {
				firstErr = res.err
				cancel()
			}
			continue
		}
		a := arms[res.arm]
		a.ValHV[res.run], a.TestHV[res.run] = rep.hypervolumes(b.acc[d], params, res.set)
		a.Front[res.run] = len(res.set)
		a.RunTime += res.took
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if done < total {
		return nil, fmt.Errorf("nb201 multi-objective: %d of %d runs done: %w", done, total, context.Cause(ctx))
	}
	for _, a := range arms {
		a.ValMean, a.ValStd = meanStd(a.ValHV)
		a.TestMean, a.TestStd = meanStd(a.TestHV)
		fs := make([]float64, len(a.Front))
		for i, n := range a.Front {
			fs[i] = float64(n)
		}
		a.FrontMean, _ = meanStd(fs)
	}
	rep.Optimizer = *arms[0]
	if len(arms) > 1 {
		rep.Baseline = arms[1]
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

func moDefaults(c NB201MOConfig) NB201MOConfig {
	if c.Optimizer == "" {
		c.Optimizer = "nsga2"
	}
	if c.Dataset == "" {
		c.Dataset = CIFAR10
	}
	if c.Budget == 0 {
		c.Budget = 100
	}
	if c.Runs == 0 {
		c.Runs = 30
	}
	if c.Parallel <= 0 {
		c.Parallel = runtime.GOMAXPROCS(0)
	}
	return c
}

// moPoint is a trial as the benchmark measures it: the values the search
// saw and the table index of its cell.
type moPoint struct {
	val, params float64
	arch        int
}

// runNB201MOStudy runs one two-objective study and returns its Pareto set
// (on the values it saw).
func runNB201MOStudy(ctx context.Context, b *NB201, sp *space.Space, ev train.Evaluator,
	arm *NB201MOArm, cfg NB201MOConfig, run int) ([]moPoint, error) {
	seed := cfg.Seed + int64(run)
	opt, err := search.NewOptimizer(arm.Optimizer, sp, seed, arm.Options)
	if err != nil {
		return nil, fmt.Errorf("nb201 multi-objective: %w", err)
	}
	st, err := search.NewStudy(search.StudyConfig{
		Name: fmt.Sprintf("nb201mo-%s-%s-%d", cfg.Dataset, arm.Optimizer, run), Space: sp,
		Optimizer: opt, OptimizerName: arm.Optimizer, Seed: seed, Directions: NB201MODirections(),
	})
	if err != nil {
		return nil, fmt.Errorf("nb201 multi-objective: %w", err)
	}
	if err := st.Optimize(ctx, search.EvaluatorObjective(ev), search.Budget{Trials: cfg.Budget, Parallel: 1}); err != nil {
		return nil, fmt.Errorf("nb201 multi-objective: %s run %d: %w", arm.Optimizer, run, err)
	}
	var set []moPoint
	for _, t := range st.BestTrials() {
		k, ok := b.index[space.NB201String(t.Params)]
		if !ok {
			return nil, fmt.Errorf("nb201 multi-objective: %s run %d: trial %d: no such cell in the table", arm.Optimizer, run, t.ID)
		}
		set = append(set, moPoint{val: t.Values[0], params: t.Values[1], arch: k})
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("nb201 multi-objective: %s run %d: no trial completed", arm.Optimizer, run)
	}
	return set, nil
}

// setBounds sets the reference and ideal points from the whole table.
func (r *NB201MOReport) setBounds(acc []nb201Acc, params []float64) {
	vals, tests := make([]float64, len(acc)), make([]float64, len(acc))
	for i, a := range acc {
		vals[i], tests[i] = a.val12, a.test200
	}
	sort.Float64s(vals)
	sort.Float64s(tests)
	pmin, pmax := params[0], params[0]
	for _, p := range params {
		pmin, pmax = math.Min(pmin, p), math.Max(pmax, p)
	}
	r.ValRef, r.ValIdeal = [2]float64{median(vals), pmax}, [2]float64{vals[len(vals)-1], pmin}
	r.TestRef, r.TestIdeal = [2]float64{median(tests), pmax}, [2]float64{tests[len(tests)-1], pmin}
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// hypervolumes returns the normalized hypervolume of the points on what the
// search saw (validation accuracy, parameters), and that of their Pareto
// set on the 200-epoch test accuracy and parameters of the cells (a cached
// trial saw the values of an isomorphic cell evaluated before it).
func (r *NB201MOReport) hypervolumes(acc []nb201Acc, params []float64, set []moPoint) (val, test float64) {
	vs := make([][]float64, len(set))
	for i, p := range set {
		vs[i] = []float64{p.val, p.params}
	}
	var ts [][]float64
	for _, i := range front2D(vs) {
		k := set[i].arch
		ts = append(ts, []float64{acc[k].test200, params[k]})
	}
	norm := func(pts [][]float64, ref, ideal [2]float64) float64 {
		hv, err := search.Hypervolume2D(pts, NB201MODirections(), ref[:])
		if err != nil {
			return math.NaN()
		}
		return hv / ((ideal[0] - ref[0]) * (ref[1] - ideal[1]))
	}
	return norm(vs, r.ValRef, r.ValIdeal), norm(ts, r.TestRef, r.TestIdeal)
}

// front2D returns the indices of the (accuracy up, parameters down)
// vectors no other dominates, equal vectors included: search.ParetoFront
// by a sort and a sweep, fast enough for the whole table.
func front2D(vs [][]float64) []int {
	order := make([]int, len(vs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := vs[order[a]], vs[order[b]]
		return x[0] > y[0] || x[0] == y[0] && x[1] < y[1]
	})
	var out []int
	var last []float64 // the last vector kept
	for _, i := range order {
		v := vs[i]
		if last == nil || v[1] < last[1] || v[0] == last[0] && v[1] == last[1] {
			out = append(out, i)
			last = v
		}
	}
	sort.Ints(out)
	return out
}

// Markdown renders the report as a table: one row per optimizer, beside
// the oracle.
func (r *NB201MOReport) Markdown() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "NAS-Bench-201 multi-objective (%s; validation accuracy up, parameters down): %d queries, %d runs (seeds %d..%d)\n\n",
		r.Dataset, r.Budget, r.Runs, r.Seed, r.Seed+int64(r.Runs)-1)
	sb.WriteString("| optimizer | hypervolume (validation) | hypervolume (test, 200 epochs) | Pareto set size |\n|---|---|---|---|\n")
	arms := []*NB201MOArm{&r.Optimizer}
	if r.Baseline != nil {
		arms = append(arms, r.Baseline)
	}
	for _, a := range arms {
		fmt.Fprintf(&sb, "| %s | %.4f ± %.4f | %.4f ± %.4f | %.1f |\n", a.Optimizer, a.ValMean, a.ValStd, a.TestMean, a.TestStd, a.FrontMean)
	}
	fmt.Fprintf(&sb, "| whole table (oracle) | %.4f | %.4f | |\n", r.OracleValHV, r.OracleTestHV)
	return sb.String()
}
