// Package main is benchoptim, which measures the overhead of optimizers: the time of one
// ask+tell at 100, 1,000 and 5,000 trials on a 20-dimension mixed space, for
// MorphML's optimizers (through search.Study, as users call them), goptuna's
// samplers and, when a Python with Optuna is given, Optuna's, all in the same
// run, and prints the ratios. `make bench-optim` runs it.
//
// The objective is a cheap analytic function, so what is timed is the
// optimizer and its study bookkeeping. Each figure is the median time of the
// trials just before the n-th (the cost at that history size).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/c-bata/goptuna"
	gcmaes "github.com/c-bata/goptuna/cmaes"
	gtpe "github.com/c-bata/goptuna/tpe"

	_ "github.com/morphml/morphml/core/optimizers"
	"github.com/morphml/morphml/core/optimizers/opttest"
	"github.com/morphml/morphml/core/search"
)

type result struct {
	Lib     string  `json:"lib"`
	Sampler string  `json:"sampler"`
	N       int     `json:"n"`
	Micros  float64 `json:"us_per_trial"`
	Best    float64 `json:"best"`
}

// summarize turns per-trial durations and best-so-far values into results.
func summarize(lib, sampler string, times []time.Duration, best []float64, windows []int) []result {
	var out []result
	for _, n := range windows {
		if n > len(times) {
			continue
		}
		w := slices.Clone(times[max(0, n-max(10, n/10)):n])
		slices.Sort(w)
		out = append(out, result{lib, sampler, n, float64(w[len(w)/2].Nanoseconds()) / 1e3, best[n-1]})
	}
	return out
}

func runMorphML(name string, nMax int, windows []int) ([]result, error) {
	sp := opttest.Mixed20()
	opt, err := search.NewOptimizer(name, sp, 1, nil)
	if err != nil {
		return nil, err
	}
	st, err := search.NewStudy(search.StudyConfig{Name: "bench", Space: sp, Optimizer: opt, OptimizerName: name,
		Directions: []search.Direction{search.Minimize}, Seed: 1})
	if err != nil {
		return nil, err
	}
	times, bests, best := make([]time.Duration, 0, nMax), make([]float64, 0, nMax), math.Inf(1)
	for range nMax {
		t0 := time.Now()
		t, err := st.Ask()
		if err != nil {
			return nil, err
		}
		v := opttest.Mixed20Point(sp, t.Params)
		if _, err := st.Tell(t.ID, []float64{v}, nil); err != nil {
			return nil, err
		}
		times = append(times, time.Since(t0))
		best = min(best, v)
		bests = append(bests, best)
	}
	return summarize("morphml", name, times, bests, windows), nil
}

func runGoptuna(name string, nMax int, windows []int) ([]result, error) {
	opts := []goptuna.StudyOption{goptuna.StudyOptionLogger(nil)}
	switch name {
	case "random":
		opts = append(opts, goptuna.StudyOptionSampler(goptuna.NewRandomSampler(goptuna.RandomSamplerOptionSeed(1))))
	case "tpe":
		opts = append(opts, goptuna.StudyOptionSampler(gtpe.NewSampler(gtpe.SamplerOptionSeed(1))))
	case "cmaes":
		// goptuna's CMA-ES handles the numeric parameters (the categoricals
		// go to the random sampler); defining that space up front avoids a
		// panic of its search-space intersection on categorical parameters.
		numeric := map[string]interface{}{}
		for i := range 8 {
			if i%2 == 0 {
				numeric[fmt.Sprintf("f%d", i)] = goptuna.LogUniformDistribution{Low: 1e-4, High: 1}
			} else {
				numeric[fmt.Sprintf("f%d", i)] = goptuna.UniformDistribution{Low: -5, High: 5}
			}
		}
		for i := range 6 {
			numeric[fmt.Sprintf("i%d", i)] = goptuna.IntUniformDistribution{Low: 1, High: 64}
		}
		opts = append(opts, goptuna.StudyOptionRelativeSampler(gcmaes.NewSampler(gcmaes.SamplerOptionSeed(1))),
			goptuna.StudyOptionDefineSearchSpace(numeric))
	default:
		return nil, fmt.Errorf("goptuna has no %s sampler here", name)
	}
	study, err := goptuna.CreateStudy("bench", opts...)
	if err != nil {
		return nil, err
	}
	// goptuna has no ask/tell: the time of one trial is the time between the
	// starts of two objective calls (sampling happens in the Suggest calls).
	starts := make([]time.Time, 0, nMax+1)
	bests, best := make([]float64, 0, nMax), math.Inf(1)
	obj := func(tr goptuna.Trial) (float64, error) {
		starts = append(starts, time.Now())
		var f [8]float64
		var ints [6]float64
		var cats [6]string
		var err error
		for i := range 8 {
			if i%2 == 0 {
				f[i], err = tr.SuggestLogFloat(fmt.Sprintf("f%d", i), 1e-4, 1)
			} else {
				f[i], err = tr.SuggestFloat(fmt.Sprintf("f%d", i), -5, 5)
			}
			if err != nil {
				return 0, err
			}
		}
		for i := range 6 {
			n, err := tr.SuggestInt(fmt.Sprintf("i%d", i), 1, 64)
			if err != nil {
				return 0, err
			}
			ints[i] = float64(n)
		}
		for i := range 6 {
			if cats[i], err = tr.SuggestCategorical(fmt.Sprintf("c%d", i), []string{"0", "1", "2", "3"}); err != nil {
				return 0, err
			}
		}
		v := opttest.Mixed20Value(f, ints, cats)
		best = min(best, v)
		bests = append(bests, best)
		return v, nil
	}
	if err := study.Optimize(obj, nMax); err != nil {
		return nil, err
	}
	starts = append(starts, time.Now())
	times := make([]time.Duration, nMax)
	for i := range nMax {
		times[i] = starts[i+1].Sub(starts[i])
	}
	return summarize("goptuna", name, times, bests, windows), nil
}

func runOptuna(python, script string, nMax int, samplers []string) ([]result, error) {
	cmd := exec.Command(python, script, strconv.Itoa(nMax), strings.Join(samplers, ","))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	var res []result
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("optuna script: %q: %w", sc.Text(), err)
		}
		res = append(res, r)
		fmt.Fprintf(os.Stderr, "optuna %s n=%d: %.0f µs\n", r.Sampler, r.N, r.Micros)
	}
	return res, cmd.Wait()
}

func main() {
	nMax := flag.Int("n", 5000, "trials per run (the largest window)")
	python := flag.String("python", "", "a Python with optuna installed (empty: skip Optuna)")
	script := flag.String("optuna-script", "scripts/bench_optim_optuna.py", "the Optuna side")
	morphml := flag.String("morphml", "random,evolution,tpe,gp,cmaes", "MorphML optimizers")
	gpMax := flag.Int("gp-n", 1000, "trials for gp (its cost grows with the cube of the history)")
	goptunaSamplers := flag.String("goptuna", "random,tpe,cmaes", "goptuna samplers (empty: skip goptuna)")
	repeat := flag.Int("repeat", 1, "runs of every measurement (each library alike); the fastest is kept, against a busy machine")
	flag.Parse()
	windows := []int{100, 1000, 5000}
	var all []result
	for _, name := range strings.Split(*morphml, ",") {
		n := *nMax
		if name == "gp" {
			n = min(n, *gpMax)
		}
		fmt.Fprintf(os.Stderr, "morphml %s ...\n", name)
		r, err := repeated(*repeat, func() ([]result, error) { return runMorphML(name, n, windows) })
		if err != nil {
			fmt.Fprintf(os.Stderr, "morphml %s: %v\n", name, err)
			continue
		}
		all = append(all, r...)
	}
	for _, name := range strings.Split(*goptunaSamplers, ",") {
		if name == "" {
			continue
		}
		fmt.Fprintf(os.Stderr, "goptuna %s ...\n", name)
		r, err := repeated(*repeat, func() ([]result, error) { return runGoptuna(name, *nMax, windows) })
		if err != nil {
			fmt.Fprintf(os.Stderr, "goptuna %s: %v\n", name, err)
			continue
		}
		all = append(all, r...)
	}
	if *python != "" {
		r, err := repeated(*repeat, func() ([]result, error) {
			return runOptuna(*python, *script, *nMax, []string{"random", "tpe", "cmaes"})
		})
		if err != nil {
			fmt.Fprintf(os.Stderr, "optuna: %v\n", err)
		}
		all = append(all, r...)
	}
	report(all, windows)
}

// repeated runs f k times and keeps, for each sampler and window, the
// fastest time and the first run's best value (seeded runs find the same
// points each time).
func repeated(k int, f func() ([]result, error)) ([]result, error) {
	var out []result
	for r := range max(k, 1) {
		res, err := f()
		if err != nil {
			return out, err
		}
		if r == 0 {
			out = res
			continue
		}
		for _, x := range res {
			for i := range out {
				if out[i].Lib == x.Lib && out[i].Sampler == x.Sampler && out[i].N == x.N {
					out[i].Micros = min(out[i].Micros, x.Micros)
				}
			}
		}
	}
	return out, nil
}

func report(all []result, windows []int) {
	get := func(lib, s string, n int) (result, bool) {
		for _, r := range all {
			if r.Lib == lib && r.Sampler == s && r.N == n {
				return r, true
			}
		}
		return result{}, false
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "optimizer\ttrials\tmorphml µs\tgoptuna µs\toptuna µs\tvs goptuna\tvs optuna\tbest (m / g / o)\t")
	seen := map[string]bool{}
	for _, r := range all {
		if r.Lib != "morphml" || seen[r.Sampler] {
			continue
		}
		seen[r.Sampler] = true
		for _, n := range windows {
			m, ok := get("morphml", r.Sampler, n)
			if !ok {
				continue
			}
			row := []string{r.Sampler, strconv.Itoa(n), fmt.Sprintf("%.1f", m.Micros)}
			ratios, bests := []string{}, []string{fmt.Sprintf("%.2f", m.Best)}
			for _, lib := range []string{"goptuna", "optuna"} {
				if o, ok := get(lib, r.Sampler, n); ok {
					row = append(row, fmt.Sprintf("%.1f", o.Micros))
					ratios = append(ratios, fmt.Sprintf("%.1fx", o.Micros/m.Micros))
					bests = append(bests, fmt.Sprintf("%.2f", o.Best))
				} else {
					row = append(row, "-")
					ratios = append(ratios, "-")
					bests = append(bests, "-")
				}
			}
			row = append(row, ratios...)
			row = append(row, strings.Join(bests, " / "))
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
	}
	tw.Flush()
	fmt.Println("\nvs X: X's time per ask+tell divided by MorphML's (higher is better for MorphML). best: the best value found by then (minimum 0).")
}
