// Command bench_gpu measures the xla training engine (core/train/xla):
// samples/s of the three reference models (core/train/reference.go) and of
// a NAS-Bench-201 cell network, with Adam, and the time from asking for a
// candidate to its first finished training step (decode, build, XLA
// compilation, one step). scripts/bench_gpu.py runs it beside PyTorch.
//
// Usage: go run ./scripts/bench_gpu [-device gpu] [-seconds 3] [-batch 64] [-candidates 10] [-json]
//
// With -device gpu and no CUDA PJRT plugin it says so and exits 0 (status
// 3 with -strict). -device cpu measures the pure-Go backend, or XLA's CPU
// plugin when $MORPHML_XLA_CPU_PLUGIN names one (make xla-cpu-plugin).
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/xla"
)

// nb201Cell is the cell the benchmark trains: NAS-Bench-201's best-known
// CIFAR-10 cell (three 3x3 convolutions, a 1x1, an average pool, skips).
const nb201Cell = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|"

// Result is one model's figures.
type Result struct {
	Model          string  `json:"model"`
	Input          []int   `json:"input"`
	Batch          int     `json:"batch"`
	Params         int     `json:"params"`
	AskToFirstStep float64 `json:"ask_to_first_step_s"`  // decode + build + compile + 1 step, first network of the architecture
	CachedFirst    float64 `json:"cached_first_step_s"`  // the same for a second network (cache hit)
	HostSamples    float64 `json:"samples_per_s_host"`   // TrainStep: the batch sent each step
	DeviceSamples  float64 `json:"samples_per_s_device"` // LoadTrain + TrainIndices: data on the device
	QueuedSamples  float64 `json:"samples_per_s_queued"` // LoadTrain + QueueIndices, the loss read every train.LossEvery steps (as the Trainer does)
	Backend        string  `json:"backend"`
	Lowering       string  `json:"lowering"`
}

// Search is the figures of a run of random NB201 candidates.
type Search struct {
	Candidates int       `json:"candidates"`
	FirstStep  []float64 `json:"first_step_s"` // per candidate: decode + build + compile + 1 step
	Median     float64   `json:"median_s"`
	Mean       float64   `json:"mean_s"`
}

func main() {
	device := flag.String("device", "gpu", "cpu, gpu or auto")
	seconds := flag.Float64("seconds", 3, "time per model and path")
	batch := flag.Int("batch", 64, "batch size")
	models := flag.String("models", "mlp,cnn,cell,nb201", "models to measure")
	candidates := flag.Int("candidates", 0, "also time ask-to-first-step of this many random NB201 candidates")
	asJSON := flag.Bool("json", false, "print one JSON object")
	strict := flag.Bool("strict", false, "exit 3 (not 0) when the device is missing")
	flag.Parse()

	d, err := xla.ParseDevice(*device)
	if err != nil {
		fail(err)
	}
	e := xla.New(d)
	be, err := e.Backend()
	if err != nil {
		var nf *xla.PluginNotFoundError
		if errors.As(err, &nf) {
			fmt.Fprintln(os.Stderr, "bench_gpu: no GPU to measure:", err)
			if *strict {
				os.Exit(3)
			}
			if *asJSON {
				fmt.Println(`{"skipped": "no CUDA PJRT plugin"}`)
			}
			return
		}
		fail(err)
	}
	out := struct {
		Backend string    `json:"backend"`
		Results []*Result `json:"results"`
		Search  *Search   `json:"search,omitempty"`
	}{Backend: be}
	for _, m := range strings.Split(*models, ",") {
		r, err := measure(e, m, *batch, time.Duration(*seconds*float64(time.Second)))
		if err != nil {
			fail(fmt.Errorf("%s: %w", m, err))
		}
		out.Results = append(out.Results, r)
		if !*asJSON {
			fmt.Printf("%-6s params %8d  ask->first step %6.2fs (cached %5.3fs)  host %9.0f  device %9.0f  queued %9.0f samples/s  [%s]\n",
				r.Model, r.Params, r.AskToFirstStep, r.CachedFirst, r.HostSamples, r.DeviceSamples, r.QueuedSamples, r.Lowering)
		}
	}
	if *candidates > 0 {
		s, err := search(e, *candidates, *batch)
		if err != nil {
			fail(err)
		}
		out.Search = s
		if !*asJSON {
			fmt.Printf("%d random NB201 candidates: ask->first step median %.2fs, mean %.2fs\n", s.Candidates, s.Median, s.Mean)
		}
	}
	if *asJSON {
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Println(string(b))
	} else {
		fmt.Println("backend:", be)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench_gpu:", err)
	os.Exit(1)
}

// arch returns a model by name: a reference model or "nb201".
func arch(name string) (*graph.Arch, error) {
	if name == "nb201" {
		pt, err := space.ParseNB201(nb201Cell)
		if err != nil {
			return nil, err
		}
		return space.NB201(10).Decode(pt)
	}
	return train.ReferenceArch(name)
}

// randomData is n seeded samples of the shape with labels in [0, 10).
func randomData(s graph.Shape, n int) ([]float32, []int) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, n*s.Size())
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y := make([]int, n)
	for i := range y {
		y[i] = r.IntN(10)
	}
	return x, y
}

// firstStep builds a network for a, runs one step and returns it with the
// wall time since t0.
func firstStep(e *xla.Engine, a *graph.Arch, o train.Options, x []float32, y []int, t0 time.Time) (*xla.Network, float64, error) {
	n, err := e.Build(a, a.Input, o)
	if err != nil {
		return nil, 0, err
	}
	net := n.(*xla.Network)
	if _, err := net.TrainStep(x, y); err != nil {
		net.Close()
		return nil, 0, err
	}
	return net, time.Since(t0).Seconds(), nil
}

func measure(e *xla.Engine, name string, batch int, dur time.Duration) (*Result, error) {
	t0 := time.Now()
	a, err := arch(name)
	if err != nil {
		return nil, err
	}
	o := train.Options{BatchSize: batch, Seed: 1}
	const n = 8192
	xs, ys := randomData(a.Input, n)
	size := a.Input.Size()
	bx, by := xs[:batch*size], ys[:batch]
	net, first, err := firstStep(e, a, o, bx, by, t0)
	if err != nil {
		return nil, err
	}
	defer net.Close()
	r := &Result{Model: name, Input: a.Input, Batch: batch, AskToFirstStep: first,
		Params: net.Stats().ParamCount, Backend: net.Stats().Backend, Lowering: string(net.Stats().Lowering)}
	net2, cached, err := firstStep(e, a, train.Options{BatchSize: batch, Seed: 2}, bx, by, time.Now())
	if err != nil {
		return nil, err
	}
	net2.Close()
	r.CachedFirst = cached

	steps := 0
	start := time.Now()
	for time.Since(start) < dur {
		if _, err := net.TrainStep(bx, by); err != nil {
			return nil, err
		}
		steps++
	}
	r.HostSamples = float64(steps*batch) / time.Since(start).Seconds()

	if err := net.LoadTrain(xs, ys); err != nil {
		return nil, err
	}
	perm := rand.New(rand.NewPCG(3, 4)).Perm(n)
	idx := func(s int) []int { o := (s * batch) % (n - batch); return perm[o : o+batch] }
	if _, err := net.TrainIndices(idx(0)); err != nil { // compiles the resident shape
		return nil, err
	}
	steps = 0
	start = time.Now()
	for time.Since(start) < dur {
		if _, err := net.TrainIndices(idx(steps)); err != nil {
			return nil, err
		}
		steps++
	}
	r.DeviceSamples = float64(steps*batch) / time.Since(start).Seconds()

	steps = 0
	start = time.Now()
	for time.Since(start) < dur {
		for range train.LossEvery {
			if err := net.QueueIndices(idx(steps)); err != nil {
				return nil, err
			}
			steps++
		}
		if _, _, err := net.TakeLoss(); err != nil {
			return nil, err
		}
	}
	r.QueuedSamples = float64(steps*batch) / time.Since(start).Seconds()
	return r, nil
}

// search times decode + build + first step of random NB201 candidates,
// as a search's Ask would produce them.
func search(e *xla.Engine, count, batch int) (*Search, error) {
	sp := space.NB201(10)
	rng := rand.New(rand.NewPCG(5, 6))
	x, y := randomData(graph.Shape{3, 32, 32}, batch)
	s := &Search{Candidates: count}
	for range count {
		t0 := time.Now()
		a, err := sp.Decode(sp.Sample(rng))
		if err != nil {
			return nil, err
		}
		net, first, err := firstStep(e, a, train.Options{BatchSize: batch, Seed: 1}, x, y, t0)
		if err != nil {
			return nil, err
		}
		net.Close()
		s.FirstStep = append(s.FirstStep, first)
		s.Mean += first / float64(count)
	}
	sorted := slices.Clone(s.FirstStep)
	slices.Sort(sorted)
	s.Median = sorted[len(sorted)/2]
	return s, nil
}
