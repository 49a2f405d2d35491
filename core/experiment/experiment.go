package experiment

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/morphml/morphml/core/bench"
	"github.com/morphml/morphml/core/pruners"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/space/morph"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/data"
	"github.com/morphml/morphml/core/train/gorgonia"
)

// Options adjust how a parsed file runs.
type Options struct {
	Study    string         // study name; default: the space's name and the start time
	Storage  search.Storage // nil: memory only
	Resume   bool           // continue the stored study of this name instead of starting one
	Budget   int            // overrides Search(budget=...) when > 0
	Parallel int            // overrides Search(parallel=...) when > 0
	// Callbacks run after each trial finishes (see search.Budget).
	Callbacks []func(s *search.Study, t search.Trial)
	// Attrs are stored with the study, beside "file" (the file's path).
	Attrs map[string]string
}

// Objective builds the evaluator that an Evaluate statement names.
func Objective(f *morph.File) (search.Objective, error) {
	ev := f.Evaluate
	if ev == nil {
		return nil, fmt.Errorf("%s: no Evaluate statement: say how architectures are evaluated, e.g. Evaluate(benchmark=\"nb201\", dataset=\"cifar10\")", f.Path)
	}
	switch ev.Kind {
	case morph.KindBenchmark:
		switch ev.Benchmark {
		case morph.BenchNB201:
			table, err := bench.LoadNB201()
			if err != nil {
				return nil, err
			}
			e, err := table.Evaluator(ev.Dataset)
			if err != nil {
				return nil, err
			}
			return search.EvaluatorObjective(e), nil
		}
		return nil, fmt.Errorf("%s: unknown benchmark %q", f.Path, ev.Benchmark)
	case morph.KindTrain:
		tr, err := Trainer(f)
		if err != nil {
			return nil, err
		}
		return search.EvaluatorObjective(tr), nil
	}
	return nil, fmt.Errorf("%s: evaluator kind %q is not available in this version", f.Path, ev.Kind)
}

// Trainer loads the dataset of an Evaluate(train=...) statement and
// returns the trainer that evaluates architectures on it with the gorgonia
// engine (its convolutions split each batch over GOMAXPROCS / parallel
// goroutines). It checks, before any trial, that the data is there (the error
// says how to get it) and that the space's architectures take its samples.
func Trainer(f *morph.File) (*train.Trainer, error) {
	ev := f.Evaluate
	if ev == nil || ev.Kind != morph.KindTrain {
		return nil, fmt.Errorf("%s: no Evaluate(train=...) statement", f.Path)
	}
	split, err := data.Load(ev.Dataset, ev.Data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	if sp := f.Space; sp != nil && sp.Decoder != nil {
		pt := make(space.Point, len(sp.Params))
		for i, p := range sp.Params {
			if p.Kind != space.Categorical {
				pt[i] = p.Low
			}
		}
		if a, err := sp.Decoder.Decode(pt); err == nil {
			if !a.Input.Equal(split.Shape()) {
				return nil, fmt.Errorf("%s: the space's input is %v but the samples of %s are %v", f.Path, a.Input, ev.Dataset, split.Shape())
			}
			if u := a.Nodes[a.Output()].Attr("units", 0); u < split.Classes() {
				return nil, fmt.Errorf("%s: the classifier head has %d outputs but %s has %d classes", f.Path, u, ev.Dataset, split.Classes())
			}
		}
	}
	// Trials run in parallel: share the cores between them.
	threads := max(1, runtime.GOMAXPROCS(0)/searchOf(f).Parallel)
	var eng train.Engine = &gorgonia.Engine{Threads: threads}
	if dev := searchOf(f).Device; dev == "gpu" || dev == "auto" {
		acc, err := train.OpenAccelerator(dev)
		if err != nil {
			return nil, fmt.Errorf("%s: Search(device=%q): %w", f.Path, dev, err)
		}
		if acc != nil {
			eng = acc
		}
	}
	tr, err := train.NewTrainer(eng, split, ev.Training)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return tr, nil
}

// searchOf returns the Search statement or the defaults.
func searchOf(f *morph.File) morph.Search {
	if f.Search != nil {
		return *f.Search
	}
	return morph.Search{Optimizer: "evolution", Budget: 100, Seed: 0, Parallel: 1, Directions: []search.Direction{search.Maximize}, Device: "cpu"}
}

// Open makes the study of a parsed file: a new one, or with opts.Resume the
// stored one of the same name. It returns the study and the number of new
// trials left in the file's budget.
func Open(f *morph.File, opts Options) (*search.Study, int, error) {
	sc := searchOf(f)
	name := opts.Study
	if name == "" {
		if opts.Resume {
			return nil, 0, errors.New("resume needs the study's name")
		}
		name = fmt.Sprintf("%s-%s", f.Space.Name, time.Now().Format("20060102-150405"))
	}
	if opts.Storage != nil {
		_, err := opts.Storage.LoadStudy(name)
		switch {
		case err == nil && !opts.Resume:
			return nil, 0, fmt.Errorf("study %q exists already: resume it (--resume) or choose another name", name)
		case errors.Is(err, search.ErrNoStudy) && opts.Resume:
			return nil, 0, fmt.Errorf("no study %q to resume", name)
		case err != nil && !errors.Is(err, search.ErrNoStudy):
			return nil, 0, err
		}
	} else if opts.Resume {
		return nil, 0, errors.New("resume needs a store")
	}
	opt, err := search.NewOptimizer(sc.Optimizer, f.Space, sc.Seed, sc.Options)
	if err != nil {
		return nil, 0, err
	}
	var pruner search.Pruner
	if f.Prune != nil {
		if pruner, err = pruners.New(f.Prune.Pruner, f.Prune.Options); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", f.Path, err)
		}
	}
	attrs := map[string]string{"file": f.Path}
	for k, v := range opts.Attrs {
		attrs[k] = v
	}
	st, err := search.NewStudy(search.StudyConfig{
		Name: name, Space: f.Space, Optimizer: opt, OptimizerName: sc.Optimizer, Pruner: pruner,
		Directions: sc.Directions, Seed: sc.Seed, Storage: opts.Storage, Source: f.Source,
		Attrs: attrs,
	})
	if err != nil {
		return nil, 0, err
	}
	budget := sc.Budget
	if opts.Budget > 0 {
		budget = opts.Budget
	}
	return st, max(budget-st.Len(), 0), nil
}

// Run opens the study of a parsed file and searches until its budget (or
// the file's timeout) is spent. The study is returned also on error, with
// every trial that finished.
func Run(ctx context.Context, f *morph.File, opts Options) (*search.Study, error) {
	obj, err := Objective(f)
	if err != nil {
		return nil, err
	}
	st, left, err := Open(f, opts)
	if err != nil {
		return nil, err
	}
	sc := searchOf(f)
	b := search.Budget{Trials: left, Timeout: sc.Timeout, Parallel: sc.Parallel, Callbacks: opts.Callbacks}
	if opts.Parallel > 0 {
		b.Parallel = opts.Parallel
	}
	if left == 0 {
		b.Timeout = 0 // only the trials an interrupted run left running
		for _, t := range st.Trials() {
			if t.State == search.Running {
				return st, st.Optimize(ctx, obj, b)
			}
		}
		return st, nil
	}
	return st, st.Optimize(ctx, obj, b)
}

// SetDevice makes the file's trials train on a device ("cpu", "gpu" or
// "auto"), as Search(device=...) would: the CLI's --device and the Python
// package's device= use it.
func SetDevice(f *morph.File, device string) error {
	d := strings.ToLower(device)
	if !slices.Contains(morph.Devices, d) {
		return fmt.Errorf("unknown device %q (known: %s)", device, strings.Join(morph.Devices, ", "))
	}
	if f.Search == nil {
		s := searchOf(f)
		f.Search = &s
	}
	f.Search.Device = d
	return nil
}
