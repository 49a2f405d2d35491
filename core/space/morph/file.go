package morph

import (
	"fmt"
	"os"
	"time"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/data"
)

// File is a parsed and checked .morph source.
type File struct {
	Path   string // as given to Parse
	Source string // the text, to store beside a study for resuming it
	// Space is the search space: the architecture's parameters (from the
	// layers or the cell), then the Param declarations, with the Constraint
	// bounds set.
	Space *space.Space
	// Search is the Search statement, nil when there is none.
	Search *Search
	// Prune is the Prune statement, nil when there is none.
	Prune *Prune
	// Evaluate is the Evaluate statement, nil when there is none.
	Evaluate *Evaluate
	// Warnings are problems that do not stop a search but probably spoil
	// it, such as a Constraint that no probed architecture meets.
	Warnings []*Error
}

// Prune says which pruner stops trials early: the Prune statement.
type Prune struct {
	Pruner string // a registered pruner (pruners.Names)
	// Options are the pruner's settings, defaults filled in.
	Options search.Options
}

// Search is how to search: the Search statement.
type Search struct {
	Optimizer  string             // a registered optimizer (search.Names)
	Budget     int                // trials to run, >= 1
	Seed       int64              // the optimizer's random seed
	Parallel   int                // trials evaluated at once, >= 1
	Timeout    time.Duration      // wall-clock limit of the whole search; 0: none
	Directions []search.Direction // one per objective
	Device     string             // where trials train: "cpu", "gpu" or "auto"
	// Options are the optimizer's settings resolved with Factory.Resolve:
	// every option of the optimizer, defaults filled in.
	Options search.Options
}

// Evaluator kinds of Evaluate.Kind.
const (
	KindBenchmark = "benchmark" // look results up in a tabular benchmark
	KindTrain     = "train"     // train each architecture on a dataset
)

// Evaluate says how architectures are evaluated: the Evaluate statement.
type Evaluate struct {
	Kind      string // KindBenchmark or KindTrain
	Benchmark string // KindBenchmark: "nb201"
	// Dataset is, for a benchmark, "cifar10", "cifar100" or
	// "imagenet16-120"; for training, the data.Load name: "digits",
	// "mnist", "fashion_mnist" or "csv:PATH" (PATH relative to the .morph
	// file's folder, made so here).
	Dataset string
	// Training holds the training settings (KindTrain), defaults filled
	// in; Training.Seed is the Search seed unless Evaluate gives one.
	Training train.Options
	// Data says how the dataset is split (KindTrain); Data.Seed is
	// Training.Seed.
	Data data.Options
}

// BenchNB201 names the NAS-Bench-201 benchmark in Evaluate.Benchmark.
const BenchNB201 = "nb201"

// nb201Datasets are the datasets of NAS-Bench-201; nb201Classes their classes.
var nb201Datasets = []string{"cifar10", "cifar100", "imagenet16-120"}

var nb201Classes = map[string]int{"cifar10": 10, "cifar100": 100, "imagenet16-120": 120}

// ParseFile reads and parses a .morph file.
func ParseFile(path string) (*File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

// Parse parses and checks a .morph source; path names it in errors. The
// error, when there is one, is an ErrorList. Optimizer names and options
// are checked against the search registry, so import the optimizer packages
// first.
func Parse(path string, src []byte) (f *File, err error) {
	e := newErrs(path, src)
	defer func() {
		if r := recover(); r != nil {
			e.at(Pos{Line: 1, Col: 1}, "internal error: %v", r)
			f, err = nil, e.err()
		}
	}()
	stmts := parse(src, e)
	if len(e.list) > 0 {
		return nil, e.err()
	}
	b := &builder{e: e, path: path, file: &File{Path: path, Source: string(src)}}
	b.build(stmts)
	if err := e.err(); err != nil {
		return nil, err
	}
	return b.file, nil
}

// String renders the file's main facts on one line, for logs.
func (f *File) String() string {
	s := fmt.Sprintf("space %q (%d parameters)", f.Space.Name, len(f.Space.Params))
	if f.Search != nil {
		s += fmt.Sprintf(", %s x %d (seed %d)", f.Search.Optimizer, f.Search.Budget, f.Search.Seed)
	}
	if ev := f.Evaluate; ev != nil {
		if ev.Kind == KindTrain {
			o := ev.Training
			s += fmt.Sprintf(", train on %s (%s, lr %g, batch %d, %d epochs)", ev.Dataset, o.Optimizer, o.LearningRate, o.BatchSize, o.Epochs)
		} else {
			s += fmt.Sprintf(", %s %s/%s", ev.Kind, ev.Benchmark, ev.Dataset)
		}
	}
	return s
}
