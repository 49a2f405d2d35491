package morph

import (
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/morphml/morphml/core/space"
)

// Statement names.
const (
	stSpace      = "SearchSpace"
	stSearch     = "Search"
	stConstraint = "Constraint"
	stPrune      = "Prune"
	stEvaluate   = "Evaluate"
	stParamFloat = "Param.float"
	stParamInt   = "Param.int"
	stParamChoic = "Param.choice"
)

// statementSigs are the statements, in the order GRAMMAR.md lists them.
var statementSigs = []*sig{
	{name: stSpace, doc: "the search space: a layer sequence (input and layers) or a cell (cell); exactly once", params: []param{
		{name: "name", ty: tyStr, def: "the file name without .morph", doc: "the space's (and study's) name"},
		{name: "input", ty: tyShape, doc: "the input shape: [channels, height, width] or [features]; required with layers, optional with Cell(...) (default: the shape of Evaluate's training images, else [3, 32, 32])"},
		{name: "layers", ty: tyLayers, doc: "the layers, `Layer.<name>(...)`; the last must be `Layer.output`"},
		{name: "cell", ty: tyCell, doc: "a cell space: `Cell.nb201(...)` or `Cell(...)`"},
	}},
	{name: stSearch, extra: true, doc: "the optimizer and its budget; other arguments are the optimizer's options (for example population_size)", params: []param{
		{name: "optimizer", ty: tyStr, def: `"evolution"`, doc: "a registered optimizer: random, evolution, local, ..."},
		{name: "budget", ty: tyInt, def: "100", doc: "trials to run, >= 1"},
		{name: "seed", ty: tyInt, def: "0", doc: "random seed; the same seed repeats the same search"},
		{name: "parallel", ty: tyInt, def: "1", doc: "trials evaluated at once, in [1, 1024]"},
		{name: "timeout", ty: tyStr, def: "none", doc: `wall-clock limit of the search, a Go duration such as "10m" or "1h30m"`},
		{name: "directions", ty: tyStrs, def: `["maximize"]`, doc: `per objective: "maximize" or "minimize"`},
		{name: "device", ty: tyStr, def: `"cpu"`, doc: `where trials train (Evaluate(train=...)): "cpu", "gpu" (XLA, needs the CUDA PJRT plugin) or "auto" (the GPU when one is usable)`},
	}},
	{name: stPrune, extra: true, doc: "stop hopeless trials early from the values they report (per epoch when training); other arguments are the pruner's options (for example eta)", params: []param{
		{name: "pruner", ty: tyStr, required: true, doc: "median, sh (successive halving), asha or hyperband"},
	}},
	{name: stConstraint, doc: "bounds on every decoded architecture; an architecture that breaks one is recorded as infeasible, not evaluated", params: []param{
		{name: "max_params", ty: tyInt, def: "none", doc: "maximum trainable parameters, >= 1"},
		{name: "max_flops", ty: tyInt, def: "none", doc: "maximum FLOPs of one forward pass, >= 1"},
	}},
	{name: stEvaluate, doc: "how architectures are evaluated: looked up in a tabular benchmark (benchmark=) or trained (train=)", params: []param{
		{name: "benchmark", ty: tyStr, doc: `a tabular benchmark: "nb201" (needs cell=Cell.nb201())`},
		{name: "dataset", ty: tyStr, def: `"cifar10"`, doc: "nb201: cifar10, cifar100 or imagenet16-120"},
		{name: "train", ty: tyStr, doc: `train every architecture on a dataset: "digits" (embedded, [1, 8, 8]), "mnist", "fashion_mnist" ([1, 28, 28]) or "csv:PATH" (last column the label; PATH relative to the .morph file)`},
		{name: "epochs", ty: tyInt, def: "10", doc: "train=: passes over the training set, >= 1"},
		{name: "steps", ty: tyInt, def: "none", doc: "train=: stop after this many optimisation steps in all, >= 1"},
		{name: "batch_size", ty: tyInt, def: "64", doc: "train=: samples per step, in [1, 65536]"},
		{name: "lr", ty: tyFloat, def: "0.001 (adam), 0.05 (sgd)", doc: "train=: learning rate, in (0, 10]"},
		{name: "optimizer", ty: tyStr, def: `"adam"`, doc: `train=: "adam" or "sgd" (with momentum)`},
		{name: "momentum", ty: tyFloat, def: "0.9", doc: "train=: SGD momentum, in [0, 1)"},
		{name: "weight_decay", ty: tyFloat, def: "0", doc: "train=: L2 penalty on the weights, in [0, 1)"},
		{name: "patience", ty: tyInt, def: "none", doc: "train=: stop after this many epochs without a better validation accuracy (early stopping)"},
		{name: "seed", ty: tyInt, def: "the Search seed", doc: "train=: seeds the split, the initial weights, dropout and the batch order"},
		{name: "val_fraction", ty: tyFloat, def: "0.15 (digits, CSV), 0.1", doc: "train=: share of the training samples held out for validation, in (0, 1)"},
		{name: "test_fraction", ty: tyFloat, def: "0.2", doc: "train=: share of the samples held out for testing when the dataset has no test set (digits, CSV), in (0, 1)"},
		{name: "max_train", ty: tyInt, def: "all", doc: "train=: train on at most this many samples (a quicker, rougher search)"},
	}},
	{name: stParamFloat, doc: "a real hyper-parameter in [low, high]", params: []param{
		{name: "name", ty: tyStr, required: true, doc: "the parameter's name, unique in the space"},
		{name: "low", ty: tyFloat, required: true, doc: "lower bound"},
		{name: "high", ty: tyFloat, required: true, doc: "upper bound, > low"},
		{name: "log", ty: tyBool, def: "false", doc: "sample on a log scale (needs low > 0)"},
	}},
	{name: stParamInt, doc: "an integer hyper-parameter in [low, high]", params: []param{
		{name: "name", ty: tyStr, required: true, doc: "the parameter's name, unique in the space"},
		{name: "low", ty: tyInt, required: true, doc: "lower bound"},
		{name: "high", ty: tyInt, required: true, doc: "upper bound, > low"},
		{name: "log", ty: tyBool, def: "false", doc: "sample on a log scale (needs low > 0)"},
	}},
	{name: stParamChoic, doc: "a categorical hyper-parameter", params: []param{
		{name: "name", ty: tyStr, required: true, doc: "the parameter's name, unique in the space"},
		{name: "choices", ty: tyChoices, required: true, doc: "the values (strings or numbers), no value twice"},
	}},
}

func statementSig(name string) *sig {
	for _, s := range statementSigs {
		if s.name == name {
			return s
		}
	}
	return nil
}

func statementNames() []string {
	out := make([]string, len(statementSigs))
	for i, s := range statementSigs {
		out[i] = s.name
	}
	return out
}

type builder struct {
	e    *errs
	path string
	file *File
	once map[string]*args // the statements allowed once, by name
	// params are the Param statements, in order.
	params []*args
	// nb201 is set when the space is Cell.nb201().
	nb201   bool
	spaceAt Pos
	// layers maps the layers of a layer space to their calls.
	layers *layerBuilder
}

// build checks the statements and fills b.file.
func (b *builder) build(stmts []*call) {
	b.once = map[string]*args{}
	for _, c := range stmts {
		s := statementSig(c.name)
		if s == nil {
			b.unknownStatement(c)
			continue
		}
		a := bind(c, s, b.e)
		if strings.HasPrefix(s.name, "Param.") {
			b.params = append(b.params, a)
			continue
		}
		if old := b.once[s.name]; old != nil {
			b.e.at(c.pos, "duplicate %s statement (the first is at %s)", s.name, old.c.pos)
			continue
		}
		b.once[s.name] = a
	}
	dataset := b.evaluate()
	b.search()
	b.prune()
	b.trainSeed()
	sp := b.once[stSpace]
	if sp == nil {
		if len(b.e.list) == 0 {
			b.e.at(Pos{Line: 1, Col: 1}, "no SearchSpace statement: a .morph file needs one, such as SearchSpace(input=[1, 28, 28], layers=[...])")
		}
		return
	}
	b.spaceAt = sp.c.pos
	b.space(sp, dataset)
	if b.file.Space == nil {
		return
	}
	b.hyperParams()
	b.constraint()
	if len(b.e.list) == 0 {
		b.crossChecks()
	}
}

// warn records a warning at p.
func (b *builder) warn(p Pos, format string, a ...any) {
	w := newErrs(b.path, []byte(b.file.Source))
	w.at(p, format, a...)
	b.file.Warnings = append(b.file.Warnings, w.list...)
}

func (b *builder) unknownStatement(c *call) {
	switch {
	case c.qual == "Layer":
		b.e.at(c.pos, "a layer is not a statement: put %s(...) in SearchSpace(layers=[...])", c.name)
	case c.qual == "Cell" || c.name == "Cell":
		b.e.at(c.pos, "a cell is not a statement: put %s(...) in SearchSpace(cell=...)", c.name)
	case c.qual == "Param":
		b.e.at(c.memPos, "%s", unknown("parameter kind", c.member, []string{"float", "int", "choice"}))
	default:
		msg := unknown("statement", c.name, statementNames())
		if layerSig(c.name) != nil {
			msg += "; layers go in SearchSpace(layers=[Layer." + c.name + "(...)])"
		}
		b.e.at(c.pos, "%s", msg)
	}
}

// space builds the SearchSpace statement.
func (b *builder) space(a *args, dataset string) {
	name, _ := a.str("name", defaultName(b.path))
	if name == "" {
		b.e.at(a.pos("name"), "name must not be empty")
	}
	hasLayers, hasCell := a.has("layers"), a.has("cell")
	switch {
	case hasLayers && hasCell:
		b.e.at(a.pos("cell"), "SearchSpace takes layers or cell, not both")
		return
	case hasCell:
		b.file.Space = b.cellSpace(a, name, dataset)
	case hasLayers:
		in, ok := shape(a, "input")
		if !a.has("input") {
			b.e.at(a.c.memPos, "a layer space needs input=[channels, height, width] or input=[features]")
		}
		cs, cok := a.calls("layers", tyLayers)
		if cok && len(cs) == 0 {
			return
		}
		lb := newLayerBuilder(b.e)
		b.layers = lb
		layers, lok := lb.layers(cs, nil)
		if !ok || !cok || !lok {
			return
		}
		sp, err := space.NewLayerSpace(name, in, layers...)
		if err != nil {
			lb.place(err, name, a.c.pos)
			return
		}
		b.file.Space = sp
	default:
		if len(b.params) == 0 {
			b.e.at(a.c.memPos, "SearchSpace needs layers=[...] or cell=... (or Param statements for a hyper-parameter space)")
			return
		}
		if a.has("input") {
			b.e.at(a.pos("input"), "input applies to layer spaces: add layers=[...]")
		}
		b.file.Space = &space.Space{Name: name}
	}
}

func defaultName(path string) string {
	if path == "" {
		return "space"
	}
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// hyperParams appends the Param statements to the space.
func (b *builder) hyperParams() {
	sp := b.file.Space
	if sp.Decoder != nil && len(b.params) > 0 {
		sp.Decoder = prefixDecoder{n: len(sp.Params), d: sp.Decoder}
	}
	for _, a := range b.params {
		name, ok := a.str("name", "")
		if !ok || !a.has("name") {
			continue
		}
		if name == "" {
			b.e.at(a.pos("name"), "name must not be empty")
			continue
		}
		if sp.Lookup(name) >= 0 {
			b.e.at(a.pos("name"), "parameter %q is defined twice (the space already has it)", name)
			continue
		}
		var p space.Param
		switch a.c.name {
		case stParamFloat, stParamInt:
			log, _ := a.boolean("log", false)
			var lo, hi float64
			var lok, hok bool
			if a.c.name == stParamInt {
				var l, h int64
				l, lok = a.int("low", 0, -(1 << 53), 1<<53)
				h, hok = a.int("high", 0, -(1 << 53), 1<<53)
				lo, hi = float64(l), float64(h)
				p = space.NewInt(name, int(l), int(h), log)
			} else {
				lo, lok = a.number("low", 0)
				hi, hok = a.number("high", 0)
				p = space.NewFloat(name, lo, hi, log)
			}
			if !lok || !hok || !a.has("low") || !a.has("high") {
				continue
			}
			switch {
			case !(lo < hi):
				b.e.at(a.pos("high"), "high must be above low (%v), got %v", lo, hi)
				continue
			case log && lo <= 0:
				b.e.at(a.pos("low"), "a log scale needs low > 0, got %v", lo)
				continue
			case math.IsInf(hi-lo, 0):
				b.e.at(a.pos("high"), "the range [%v, %v] is too wide", lo, hi)
				continue
			}
		case stParamChoic:
			v := a.val("choices")
			if v == nil {
				continue
			}
			if v.kind != vList {
				a.typeErr("choices", v, tyChoices)
				continue
			}
			if len(v.list) == 0 {
				b.e.at(v.pos, "choices must not be an empty list")
				continue
			}
			var texts []string
			for _, x := range v.list {
				t := x.text
				if x.kind == vBool {
					t = map[bool]string{true: "true", false: "false"}[x.b]
				} else if x.kind != vStr && x.kind != vNum {
					a.typeErr("choices", x, tyChoices)
					texts = nil
					break
				}
				if slices.Contains(texts, t) {
					b.e.at(x.pos, "choices lists %q twice", t)
					texts = nil
					break
				}
				texts = append(texts, t)
			}
			if texts == nil {
				continue
			}
			p = space.NewCategorical(name, texts...)
		}
		sp.Params = append(sp.Params, p)
	}
}

// constraint sets the Constraint bounds on the space.
func (b *builder) constraint() {
	a := b.once[stConstraint]
	if a == nil {
		return
	}
	if !a.has("max_params") && !a.has("max_flops") {
		b.e.at(a.c.memPos, "Constraint needs max_params= or max_flops=")
		return
	}
	mp, _ := a.int("max_params", 0, 1, 1<<53)
	mf, _ := a.int("max_flops", 0, 1, 1<<53)
	b.file.Space.MaxParams, b.file.Space.MaxFLOPs = mp, mf
}

// evaluate reads the Evaluate statement and returns its dataset ("" when
// there is none).
func (b *builder) evaluate() string {
	a := b.once[stEvaluate]
	if a == nil {
		return ""
	}
	if a.has("train") {
		return b.evaluateTrain(a)
	}
	if !a.has("benchmark") {
		b.e.at(a.c.memPos, "Evaluate needs benchmark=%q or train=\"<dataset>\"", BenchNB201)
		return ""
	}
	for _, p := range trainArgs {
		if a.has(p) {
			b.e.at(a.pos(p), "%s applies to training (train=...), not to benchmark=%q", p, BenchNB201)
			return ""
		}
	}
	bench, ok := a.str("benchmark", "")
	if !ok {
		return ""
	}
	if bench != BenchNB201 {
		b.e.at(a.pos("benchmark"), "%s", unknown("benchmark", bench, []string{BenchNB201}))
		return ""
	}
	ds, ok := a.str("dataset", "cifar10")
	if !ok {
		return ""
	}
	if !slices.Contains(nb201Datasets, ds) {
		b.e.at(a.pos("dataset"), "%s (nb201 has %s)", unknown("dataset", ds, nb201Datasets), strings.Join(nb201Datasets, ", "))
		return ""
	}
	b.file.Evaluate = &Evaluate{Kind: KindBenchmark, Benchmark: bench, Dataset: ds}
	return ds
}

// crossChecks runs the checks that need several statements.
func (b *builder) crossChecks() {
	if ev := b.file.Evaluate; ev != nil && ev.Benchmark == BenchNB201 && !b.nb201 {
		b.e.at(b.once[stEvaluate].pos("benchmark"), "benchmark %q needs SearchSpace(cell=Cell.nb201())", ev.Benchmark)
		return
	}
	b.checkArchs()
	if len(b.e.list) == 0 {
		b.checkTrainData()
	}
}
