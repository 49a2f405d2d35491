package tpe_test

// The overhead benchmark of issue 4: time per ask+tell at 100, 1,000 and
// 5,000 trials on a 20-dimension mixed space, for MorphML's optimizers and
// goptuna's (github.com/c-bata/goptuna v0.9.0) in the same run.
//
//	go test -run '^$' -bench AskTell ./core/optimizers/tpe/        # Go benchmarks, with the speedup as a metric
//	MORPHML_BENCH_OPTIM=1 go test -run BenchOptim -v ./core/optimizers/tpe/   # the table with ratios, and quality
//
// Method (the same for both libraries): a study is filled with n random
// trials, then the optimizer under test asks and is told the next trials;
// the figure is the median time of one ask+tell through the study's public
// API (MorphML: Study.Ask and Study.Tell; goptuna: Study.Optimize of one
// trial with its in-memory storage), objective included (it is a few
// arithmetic operations). The space and objective are those of
// scripts/bench_optim_optuna.py, so Optuna's figures compare directly.

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/c-bata/goptuna"
	gcmaes "github.com/c-bata/goptuna/cmaes"
	gtpe "github.com/c-bata/goptuna/tpe"

	_ "github.com/morphml/morphml/core/optimizers/cmaes"
	_ "github.com/morphml/morphml/core/optimizers/evolution"
	_ "github.com/morphml/morphml/core/optimizers/gp"
	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func goptunaObjective(tr goptuna.Trial) (float64, error) {
	var f [8]float64
	var n [6]float64
	var c [6]string
	for i := range f {
		var err error
		if i%2 == 0 {
			f[i], err = tr.SuggestLogFloat(fmt.Sprint("f", i), 1e-4, 1)
		} else {
			f[i], err = tr.SuggestFloat(fmt.Sprint("f", i), -5, 5)
		}
		if err != nil {
			return 0, err
		}
	}
	for i := range n {
		v, err := tr.SuggestInt(fmt.Sprint("i", i), 1, 64)
		if err != nil {
			return 0, err
		}
		n[i] = float64(v)
	}
	for i := range c {
		v, err := tr.SuggestCategorical(fmt.Sprint("c", i), []string{"0", "1", "2", "3"})
		if err != nil {
			return 0, err
		}
		c[i] = v
	}
	return opttest.Mixed20Value(f, n, c), nil
}

// prefilled is an optimizer that asks random points for the first n trials
// and defers to opt after that.
type prefilled struct {
	n   int
	sp  *space.Space
	opt search.Optimizer
}

func (p prefilled) Ask(h *search.History) (space.Point, error) {
	if h.Next < p.n {
		return p.sp.Sample(search.Rand(99, h.Next)), nil
	}
	return p.opt.Ask(h)
}

func (p prefilled) Tell(t search.Trial) error { return p.opt.Tell(t) }

// morphRunner is a MorphML study filled with n random trials.
type morphRunner struct {
	sp *space.Space
	st *search.Study
}

func newMorphRunner(tb testing.TB, name string, n int) *morphRunner {
	tb.Helper()
	sp := opttest.Mixed20()
	opt, err := search.NewOptimizer(name, sp, 1, nil)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := search.NewStudy(search.StudyConfig{Name: "bench", Space: sp, Optimizer: prefilled{n, sp, opt},
		Directions: []search.Direction{search.Minimize}})
	if err != nil {
		tb.Fatal(err)
	}
	r := &morphRunner{sp: sp, st: st}
	for range n {
		r.step(tb)
	}
	return r
}

// step asks and tells one trial.
func (r *morphRunner) step(tb testing.TB) {
	t, err := r.st.Ask()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := r.st.Tell(t.ID, []float64{opttest.Mixed20Point(r.sp, t.Params)}, nil); err != nil {
		tb.Fatal(err)
	}
}

// goptunaRunner is a goptuna study filled with n random trials.
type goptunaRunner struct {
	st *goptuna.Study
}

func newGoptunaRunner(tb testing.TB, name string, n int) *goptunaRunner {
	tb.Helper()
	storage := goptuna.NewInMemoryStorage()
	pre, err := goptuna.CreateStudy("bench", goptuna.StudyOptionStorage(storage), goptuna.StudyOptionLogger(nil),
		goptuna.StudyOptionSampler(goptuna.NewRandomSampler(goptuna.RandomSamplerOptionSeed(99))))
	if err != nil {
		tb.Fatal(err)
	}
	if err := pre.Optimize(goptunaObjective, n); err != nil {
		tb.Fatal(err)
	}
	opts := []goptuna.StudyOption{goptuna.StudyOptionStorage(storage), goptuna.StudyOptionLogger(nil)}
	switch name {
	case "tpe":
		opts = append(opts, goptuna.StudyOptionSampler(gtpe.NewSampler(gtpe.SamplerOptionSeed(1))))
	case "cmaes":
		// goptuna's CMA-ES handles the numeric parameters (categoricals go
		// to the random sampler); the search space is given explicitly
		// because inferring it panics on categorical distributions.
		numeric := map[string]interface{}{}
		for i := range 8 {
			if i%2 == 0 {
				numeric[fmt.Sprint("f", i)] = goptuna.LogUniformDistribution{Low: 1e-4, High: 1}
			} else {
				numeric[fmt.Sprint("f", i)] = goptuna.UniformDistribution{Low: -5, High: 5}
			}
		}
		for i := range 6 {
			numeric[fmt.Sprint("i", i)] = goptuna.IntUniformDistribution{Low: 1, High: 64}
		}
		opts = append(opts, goptuna.StudyOptionRelativeSampler(gcmaes.NewSampler(gcmaes.SamplerOptionSeed(1))),
			goptuna.StudyOptionDefineSearchSpace(numeric),
			goptuna.StudyOptionSampler(goptuna.NewRandomSampler(goptuna.RandomSamplerOptionSeed(1))))
	case "random":
		opts = append(opts, goptuna.StudyOptionSampler(goptuna.NewRandomSampler(goptuna.RandomSamplerOptionSeed(1))))
	default:
		tb.Fatalf("no goptuna counterpart of %s", name)
	}
	st, err := goptuna.LoadStudy("bench", opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return &goptunaRunner{st: st}
}

func (r *goptunaRunner) step(tb testing.TB) {
	if err := r.st.Optimize(goptunaObjective, 1); err != nil {
		tb.Fatal(err)
	}
}

// stepper is either runner.
type stepper interface{ step(testing.TB) }

// median times k steps one by one and returns the median.
func median(tb testing.TB, r stepper, k int) time.Duration {
	ds := make([]time.Duration, k)
	for i := range ds {
		t0 := time.Now()
		r.step(tb)
		ds[i] = time.Since(t0)
	}
	sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
	return ds[k/2]
}

// BenchmarkAskTell times one ask+tell of MorphML's TPE, CMA-ES and random
// search beside goptuna's, alternating the two in the same loop, and
// reports goptuna's time and the speedup as metrics.
func BenchmarkAskTell(b *testing.B) {
	for _, name := range []string{"tpe", "cmaes", "random"} {
		for _, n := range []int{100, 1000, 5000} {
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				m := newMorphRunner(b, name, n)
				g := newGoptunaRunner(b, name, n)
				m.step(b) // warm the caches
				g.step(b)
				b.ResetTimer()
				var ours, theirs time.Duration
				for range b.N {
					t0 := time.Now()
					m.step(b)
					t1 := time.Now()
					g.step(b)
					ours += t1.Sub(t0)
					theirs += time.Since(t1)
				}
				b.StopTimer()
				b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N), "morphml-ns/op")
				b.ReportMetric(float64(theirs.Nanoseconds())/float64(b.N), "goptuna-ns/op")
				b.ReportMetric(float64(theirs)/float64(ours), "speedup")
			})
		}
	}
}

// TestBenchOptim prints the overhead table (MorphML and goptuna, median
// time per ask+tell and the ratio) and a quality check: the mean best value
// of TPE after 300 trials over 5 seeds, MorphML's and goptuna's. It runs
// only with MORPHML_BENCH_OPTIM=1 (MORPHML_BENCH_MAX caps n, default 5000;
// MORPHML_BENCH_SEEDS sets the seeds of the quality check, default 5).
func TestBenchOptim(t *testing.T) {
	if os.Getenv("MORPHML_BENCH_OPTIM") == "" {
		t.Skip("set MORPHML_BENCH_OPTIM=1 to run the overhead benchmark")
	}
	maxN := 5000
	if v, err := strconv.Atoi(os.Getenv("MORPHML_BENCH_MAX")); err == nil {
		maxN = v
	}
	fmt.Printf("%-10s %6s %14s %14s %8s\n", "optimizer", "n", "morphml", "goptuna", "ratio")
	for _, name := range []string{"random", "evolution", "tpe", "cmaes", "gp"} {
		for _, n := range []int{100, 1000, 5000} {
			if n > maxN {
				continue
			}
			k := 51
			if name == "gp" || n == 5000 {
				k = 11
			}
			m := newMorphRunner(t, name, n)
			m.step(t)
			ours := median(t, m, k)
			theirs, ratio := "-", "-"
			if name == "tpe" || name == "cmaes" || name == "random" {
				g := newGoptunaRunner(t, name, n)
				g.step(t)
				d := median(t, g, k)
				theirs, ratio = d.Round(time.Microsecond).String(), fmt.Sprintf("%.1fx", float64(d)/float64(ours))
			}
			fmt.Printf("%-10s %6d %14s %14s %8s\n", name, n, ours.Round(time.Microsecond), theirs, ratio)
		}
	}
	// TPE grown from scratch (no random prefill), timed as
	// scripts/bench_optim_optuna.py times Optuna: the median of the
	// max(10, n/10) trials before the n-th.
	for _, n := range []int{100, 1000} {
		if n > maxN {
			continue
		}
		m := newMorphRunner(t, "tpe", 0)
		g := newGoptunaRunner(t, "tpe", 0)
		w := max(10, n/10)
		for range n - w {
			m.step(t)
			g.step(t)
		}
		ours, theirs := median(t, m, w), median(t, g, w)
		fmt.Printf("%-10s %6d %14s %14s %7.1fx  (grown from scratch)\n", "tpe", n, ours.Round(time.Microsecond),
			theirs.Round(time.Microsecond), float64(theirs)/float64(ours))
	}
	// Quality: TPE from scratch, 300 trials.
	const budget = 300
	seeds := 5
	if v, err := strconv.Atoi(os.Getenv("MORPHML_BENCH_SEEDS")); err == nil {
		seeds = v
	}
	var ours, theirs float64
	for seed := int64(1); seed <= int64(seeds); seed++ {
		sp := opttest.Mixed20()
		opt, _ := search.NewOptimizer("tpe", sp, seed, nil)
		st, _ := search.NewStudy(search.StudyConfig{Name: "q", Space: sp, Optimizer: opt, Directions: []search.Direction{search.Minimize}})
		for range budget {
			tr, _ := st.Ask()
			st.Tell(tr.ID, []float64{opttest.Mixed20Point(sp, tr.Params)}, nil)
		}
		best, _ := st.Best()
		ours += best.Values[0] / float64(seeds)
		g, _ := goptuna.CreateStudy("q", goptuna.StudyOptionLogger(nil), goptuna.StudyOptionSampler(gtpe.NewSampler(gtpe.SamplerOptionSeed(seed))))
		if err := g.Optimize(goptunaObjective, budget); err != nil {
			t.Fatal(err)
		}
		v, _ := g.GetBestValue()
		theirs += v / float64(seeds)
	}
	fmt.Printf("TPE quality, mean best of %d seeds after %d trials (lower is better): morphml %.3f, goptuna %.3f\n", seeds, budget, ours, theirs)
}
