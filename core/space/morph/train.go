package morph

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/data"
)

// trainArgs are the arguments of Evaluate that only train= takes.
var trainArgs = []string{"epochs", "steps", "batch_size", "lr", "optimizer", "momentum", "weight_decay",
	"patience", "seed", "val_fraction", "test_fraction", "max_train"}

var trainOptimizers = []string{train.Adam, train.SGD}

// evaluateTrain reads Evaluate(train=...) and returns the dataset name.
func (b *builder) evaluateTrain(a *args) string {
	if a.has("benchmark") {
		b.e.at(a.pos("benchmark"), "Evaluate takes benchmark= or train=, not both")
		return ""
	}
	if a.has("dataset") {
		b.e.at(a.pos("dataset"), "dataset applies to benchmark=; with train= the dataset is the train argument")
		return ""
	}
	ds, ok := a.str("train", "")
	if !ok {
		return ""
	}
	if _, known := data.Lookup(ds); !known {
		msg := unknown("dataset", ds, data.Names())
		if strings.HasPrefix(ds, "csv") && !strings.Contains(msg, "did you mean") {
			msg += ` (a CSV file is named "csv:PATH")`
		}
		b.e.at(a.pos("train"), "%s (known: %s, or csv:PATH)", msg, strings.Join(data.Names(), ", "))
		return ""
	}
	if path, isCSV := strings.CutPrefix(ds, data.CSVPrefix); isCSV {
		if !filepath.IsAbs(path) && b.path != "" {
			path = filepath.Join(filepath.Dir(b.path), path)
		}
		if _, err := os.Stat(path); err != nil {
			b.e.at(a.pos("train"), "CSV dataset %s: %v", path, unwrapPath(err))
			return ""
		}
		ds = data.CSVPrefix + path
	}
	o := train.Options{}
	epochs, _ := a.int("epochs", 10, 1, 100_000)
	steps, _ := a.int("steps", 0, 1, 1<<40)
	bs, _ := a.int("batch_size", 64, 1, 1<<16)
	patience, _ := a.int("patience", 0, 1, 1_000_000)
	o.Epochs, o.Steps, o.BatchSize, o.Patience = int(epochs), int(steps), int(bs), int(patience)
	o.Seed, _ = a.int("seed", 0, -(1 << 53), 1<<53)
	if opt, ok := a.str("optimizer", train.Adam); ok {
		if !slices.Contains(trainOptimizers, opt) {
			b.e.at(a.pos("optimizer"), "%s (known: %s)", unknown("optimizer", opt, trainOptimizers), strings.Join(trainOptimizers, ", "))
		}
		o.Optimizer = opt
	}
	o.LearningRate = b.fraction(a, "lr", 0, false, 10, true)
	o.Momentum = b.fraction(a, "momentum", 0, true, 1, false)
	o.WeightDecay = b.fraction(a, "weight_decay", 0, true, 1, false)
	do := data.Options{
		ValFraction:  b.fraction(a, "val_fraction", 0, false, 1, false),
		TestFraction: b.fraction(a, "test_fraction", 0, false, 1, false),
	}
	mt, _ := a.int("max_train", 0, 1, 1<<40)
	do.MaxTrain = int(mt)
	if a.has("momentum") && o.Optimizer != train.SGD {
		b.e.at(a.pos("momentum"), "momentum applies to optimizer=%q", train.SGD)
	}
	if o.Optimizer == train.SGD && !a.has("momentum") {
		o.Momentum = 0.9
	}
	o = o.WithDefaults()
	b.file.Evaluate = &Evaluate{Kind: KindTrain, Dataset: ds, Training: o, Data: do}
	return ds
}

// fraction reads a number argument in the range lo..hi (each end open or
// closed); 0 when absent.
func (b *builder) fraction(a *args, name string, lo float64, loClosed bool, hi float64, hiClosed bool) float64 {
	v, ok := a.number(name, 0)
	if !ok || !a.has(name) {
		return 0
	}
	if v < lo || (v == lo && !loClosed) || v > hi || (v == hi && !hiClosed) {
		open, close := "(", ")"
		if loClosed {
			open = "["
		}
		if hiClosed {
			close = "]"
		}
		b.e.at(a.pos(name), "%s must be in %s%g, %g%s, got %s", name, open, lo, hi, close, a.val(name).text)
		return 0
	}
	return v
}

// trainSeed makes the Search seed the training seed unless Evaluate
// gives one.
func (b *builder) trainSeed() {
	ev := b.file.Evaluate
	if ev == nil || ev.Kind != KindTrain {
		return
	}
	if a := b.once[stEvaluate]; !a.has("seed") && b.file.Search != nil {
		ev.Training.Seed = b.file.Search.Seed
	}
	ev.Data.Seed = ev.Training.Seed
}

// checkTrainData checks that the space's architectures fit a dataset whose
// shape is known before loading it: the input shape and the classes.
func (b *builder) checkTrainData() {
	ev, sp := b.file.Evaluate, b.file.Space
	if ev == nil || ev.Kind != KindTrain || sp.Decoder == nil {
		return
	}
	info, _ := data.Lookup(ev.Dataset)
	if info.Shape == nil {
		return
	}
	pt := make(space.Point, len(sp.Params))
	for i, p := range sp.Params {
		pt[i] = p.Low
		if p.Kind == space.Categorical {
			pt[i] = 0
		}
	}
	a, err := sp.Decoder.Decode(pt)
	if err != nil {
		return // checkArchs reported it
	}
	ea := b.once[stEvaluate]
	if !a.Input.Equal(info.Shape) {
		at := ea.pos("train")
		if s := b.once[stSpace]; s.has("input") {
			at = s.pos("input")
		}
		b.e.at(at, "the space's input is %v but the samples of %q are %v: use input=%v", a.Input, ev.Dataset, info.Shape, []int(info.Shape))
		return
	}
	if units := a.Nodes[a.Output()].Attr("units", 0); units < info.Classes {
		b.e.at(ea.pos("train"), "the classifier head has %d outputs but %q has %d classes: use Layer.output(units=%d)", units, ev.Dataset, info.Classes, info.Classes)
	}
}

// unwrapPath drops the path an *os.PathError repeats.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
