package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/train"
)

// NB201Config says what RunNB201 measures. Zero values take the defaults.
type NB201Config struct {
	Optimizer string         // registered optimizer name (default "evolution")
	Options   search.Options // its options (nil: defaults)
	Dataset   string         // cifar10 (default), cifar100 or imagenet16-120
	Budget    int            // queries (trials) per run (default 100)
	Runs      int            // independent runs, run i seeded Seed+i (default 100)
	Seed      int64          // seed of run 0
	Parallel  int            // runs at once (default GOMAXPROCS); each run is serial
	Baseline  string         // optimizer measured beside it with the same seeds ("random"; empty: none)
}

func (c NB201Config) withDefaults() NB201Config {
	if c.Optimizer == "" {
		c.Optimizer = "evolution"
	}
	if c.Dataset == "" {
		c.Dataset = CIFAR10
	}
	if c.Budget == 0 {
		c.Budget = 100
	}
	if c.Runs == 0 {
		c.Runs = 100
	}
	if c.Parallel <= 0 {
		c.Parallel = runtime.GOMAXPROCS(0)
	}
	return c
}

// NB201Arm is the result of one optimizer over all runs. Accuracies are in
// percent; Final[i], Picks[i] and PickVal[i] belong to run i (seed Seed+i).
type NB201Arm struct {
	Optimizer string
	Options   search.Options // resolved: every option with its value
	Final     []float64      // the 200-epoch test accuracy of each run's pick
	Picks     []string       // each run's pick: the cell with the best validation accuracy it saw
	PickVal   []float64      // the pick's 12-epoch validation accuracy
	Mean, Std float64        // of Final (Std: sample standard deviation)
	// Curve[q-1] is the mean over runs of the test accuracy of the run's
	// pick after q queries (the incumbent, as the run knew it then);
	// CurveStd its standard deviation and ValCurve the mean best validation
	// accuracy seen. They are what a convergence plot draws.
	Curve, CurveStd, ValCurve []float64
	RunTime                   time.Duration // summed over runs (each run's wall time)
}

// NB201Report is what RunNB201 measured.
type NB201Report struct {
	Dataset     string
	Budget      int
	Runs        int
	Seed        int64
	MaxTest     float64 // the best 200-epoch test accuracy of any cell
	OracleTest  float64 // the test accuracy of the best-validation cell: the most the protocol allows
	Optimizer   NB201Arm
	Baseline    *NB201Arm // nil without a baseline
	Elapsed     time.Duration
	Parallelism int // runs that ran at once
}

// RunNB201 runs cfg.Runs independent studies of the optimizer, and as many
// of the baseline, on NAS-Bench-201 under the honest protocol: each study
// queries cfg.Budget architectures and sees only their 12-epoch validation
// accuracy; its result is the 200-epoch test accuracy of its pick, the trial
// with the best validation accuracy (the earliest on ties). progress, when
// not nil, is called after every finished study, from one goroutine at a
// time.
func RunNB201(ctx context.Context, cfg NB201Config, progress func(done, total int)) (*NB201Report, error) {
	start := time.Now()
	cfg = cfg.withDefaults()
	if cfg.Budget < 1 || cfg.Runs < 1 {
		return nil, fmt.Errorf("nb201: budget %d and runs %d must be positive", cfg.Budget, cfg.Runs)
	}
	b, err := LoadNB201()
	if err != nil {
		return nil, err
	}
	d, err := dataset(cfg.Dataset)
	if err != nil {
		return nil, err
	}
	ev, _ := b.Evaluator(cfg.Dataset)
	sp := space.NB201(nb201Classes[d])
	arms := []*NB201Arm{{Optimizer: cfg.Optimizer, Options: cfg.Options}}
	if cfg.Baseline != "" {
		arms = append(arms, &NB201Arm{Optimizer: cfg.Baseline})
	}
	for _, a := range arms {
		f, ok := search.Lookup(a.Optimizer)
		if !ok {
			return nil, fmt.Errorf("nb201: unknown optimizer %q (known: %v)", a.Optimizer, search.Names())
		}
		if a.Options, err = f.Resolve(a.Options); err != nil {
			return nil, fmt.Errorf("nb201: %w", err)
		}
		a.Final = make([]float64, cfg.Runs)
		a.PickVal = make([]float64, cfg.Runs)
		a.Picks = make([]string, cfg.Runs)
	}

	type job struct{ arm, run int }
	type result struct {
		job
		curve []nb201Point
		took  time.Duration
		err   error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job)
	results := make(chan result)
	var wg sync.WaitGroup
	workers := min(cfg.Parallel, cfg.Runs*len(arms))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				t0 := time.Now()
				a := arms[j.arm]
				c, err := runNB201Study(ctx, b, d, sp, ev, a.Optimizer, a.Options, cfg, j.run)
				results <- result{j, c, time.Since(t0), err}
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

	curves := make([][][]nb201Point, len(arms))
	for a := range arms {
		curves[a] = make([][]nb201Point, cfg.Runs)
	}
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
		last := res.curve[len(res.curve)-1]
		a.Final[res.run], a.PickVal[res.run], a.Picks[res.run] = last.test, last.val, b.archs[last.arch]
		a.RunTime += res.took
		curves[res.arm][res.run] = res.curve
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if done < total { // cancelled before every run was started
		return nil, fmt.Errorf("nb201: %d of %d runs done: %w", done, total, context.Cause(ctx))
	}
	for i, a := range arms {
		a.Mean, a.Std = meanStd(a.Final)
		a.Curve, a.CurveStd, a.ValCurve = curveStats(curves[i], cfg.Budget)
	}
	oracle, _ := b.Oracle(cfg.Dataset)
	maxTest, _ := b.MaxTestAccuracy(cfg.Dataset)
	rep := &NB201Report{
		Dataset: cfg.Dataset, Budget: cfg.Budget, Runs: cfg.Runs, Seed: cfg.Seed,
		MaxTest: maxTest, OracleTest: oracle.Test200, Optimizer: *arms[0],
		Elapsed: time.Since(start), Parallelism: workers,
	}
	if len(arms) > 1 {
		rep.Baseline = arms[1]
	}
	return rep, nil
}

// nb201Classes is the head size of each dataset, in NB201Datasets order.
var nb201Classes = [3]int{10, 100, 120}

// nb201Point is a run's incumbent after some number of queries.
type nb201Point struct {
	arch      int     // table index of the pick (-1 before the first result)
	val, test float64 // its validation and 200-epoch test accuracy
}

// runNB201Study runs one study and returns its incumbent after each query.
func runNB201Study(ctx context.Context, b *NB201, d int, sp *space.Space, ev train.Evaluator,
	name string, opts search.Options, cfg NB201Config, run int) ([]nb201Point, error) {
	seed := cfg.Seed + int64(run)
	opt, err := search.NewOptimizer(name, sp, seed, opts)
	if err != nil {
		return nil, fmt.Errorf("nb201: %w", err)
	}
	st, err := search.NewStudy(search.StudyConfig{
		Name: fmt.Sprintf("nb201-%s-%s-%d", cfg.Dataset, name, run), Space: sp,
		Optimizer: opt, OptimizerName: name, Seed: seed,
	})
	if err != nil {
		return nil, fmt.Errorf("nb201: %w", err)
	}
	if err := st.Optimize(ctx, search.EvaluatorObjective(ev), search.Budget{Trials: cfg.Budget, Parallel: 1}); err != nil {
		return nil, fmt.Errorf("nb201: %s run %d: %w", name, run, err)
	}
	curve, err := incumbents(b, d, st.Trials())
	if err != nil {
		return nil, fmt.Errorf("nb201: %s run %d: %w", name, run, err)
	}
	if best, ok := st.Best(); ok && b.archs[curve[len(curve)-1].arch] != space.NB201String(best.Params) {
		return nil, fmt.Errorf("nb201: %s run %d: internal error: the pick %s is not the study's best trial %d",
			name, run, b.archs[curve[len(curve)-1].arch], best.ID)
	}
	return curve, nil
}

// incumbents returns, after each trial (in ID order), the pick of the
// protocol: the trial with the best validation accuracy so far, the earliest
// on ties, with its 200-epoch test accuracy on dataset d. The study's values
// are what it saw; test accuracies come from the table.
func incumbents(b *NB201, d int, trials []search.Trial) ([]nb201Point, error) {
	if len(trials) == 0 {
		return nil, errors.New("no trials")
	}
	out := make([]nb201Point, len(trials))
	cur := nb201Point{arch: -1, val: math.Inf(-1), test: math.NaN()}
	for i, t := range trials {
		if t.State == search.Complete && len(t.Values) > 0 && t.Values[0] > cur.val {
			s := space.NB201String(t.Params)
			k, ok := b.index[s]
			if !ok {
				return nil, fmt.Errorf("trial %d: no architecture %q in the table", t.ID, s)
			}
			cur = nb201Point{arch: k, val: t.Values[0], test: b.acc[d][k].test200}
		}
		out[i] = cur
	}
	if cur.arch < 0 {
		return nil, errors.New("no trial completed")
	}
	return out, nil
}

// curveStats averages the runs' incumbent curves; a run shorter than budget
// keeps its last incumbent.
func curveStats(runs [][]nb201Point, budget int) (mean, std, val []float64) {
	mean, std, val = make([]float64, budget), make([]float64, budget), make([]float64, budget)
	xs, vs := make([]float64, len(runs)), make([]float64, len(runs))
	for q := range budget {
		for r, c := range runs {
			p := c[min(q, len(c)-1)]
			xs[r], vs[r] = p.test, p.val
		}
		mean[q], std[q] = meanStd(xs)
		val[q], _ = meanStd(vs)
	}
	return mean, std, val
}

// meanStd returns the mean and the sample standard deviation (0 for one
// value).
func meanStd(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)-1))
}
