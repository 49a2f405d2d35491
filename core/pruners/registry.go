package pruners

import (
	"fmt"
	"sort"
	"strings"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// Factory makes one kind of pruner from numeric options (a categorical
// option is the index of its choice), like search.Factory for optimizers.
type Factory struct {
	Name    string
	Doc     string
	Options []search.Option
	New     func(opts search.Options) (search.Pruner, error)
}

// paretoChoices are the values of the pareto option: the attributes of
// objectives 1, 2, ... joined by "+".
var paretoChoices = []string{"none", search.AttrArchParams, search.AttrArchFLOPs,
	search.AttrArchParams + "+" + search.AttrArchFLOPs}

func paretoOption() search.Option {
	return search.Option{Param: space.NewCategorical("pareto", paretoChoices...), Default: 0,
		Doc: "multi-objective studies: compare by the vector (reported value, these trial attributes) for objectives 1, 2, ...; none: objective 0 only"}
}

func paretoAttrs(opts search.Options) []string {
	c := paretoChoices[int(opts["pareto"])]
	if c == "none" {
		return nil
	}
	return strings.Split(c, "+")
}

func halvingOptions(cohort, minTrials, maxRequired bool) []search.Option {
	maxDoc := "the full budget of a trial, in steps: no rung at or above it (0: none)"
	if maxRequired {
		maxDoc = "the full budget of a trial, in steps (required, > min_resource)"
	}
	out := []search.Option{
		{Param: space.NewFloat("min_resource", 1e-9, 1e15, false), Default: DefaultMinResource,
			Doc: "the step of the first rung"},
		{Param: space.NewFloat("eta", 1.000001, 1e6, false), Default: DefaultEta,
			Doc: "reduction factor: rungs at min_resource·eta^k, each keeping the top 1/eta"},
		{Param: space.NewFloat("max_resource", 0, 1e15, false), Default: 0, Doc: maxDoc},
	}
	if cohort {
		out = append(out, search.Option{Param: space.NewInt("cohort", 1, 1_000_000, false), Default: DefaultCohort,
			Doc: "consecutive trial IDs that compete with each other"})
	}
	if minTrials {
		out = append(out, search.Option{Param: space.NewInt("min_trials", 0, 1_000_000, false), Default: DefaultMinTrials,
			Doc: "a rung stops no trial before this many trials reached it"})
	}
	return append(out, paretoOption())
}

var factories = []Factory{
	{
		Name: "median",
		Doc:  "median stopping rule: stop a trial whose best value is worse than more than half of the finished trials at the same step",
		Options: []search.Option{
			{Param: space.NewInt("warmup_steps", 0, 1_000_000_000, false), Default: DefaultMedianWarmup,
				Doc: "no trial is stopped at a step below this"},
			{Param: space.NewInt("min_trials", 1, 1_000_000, false), Default: DefaultMedianMinTrials,
				Doc: "no trial is stopped before this many finished trials reached the step"},
			paretoOption(),
		},
		New: func(o search.Options) (search.Pruner, error) {
			return NewMedian(MedianConfig{WarmupSteps: int(o["warmup_steps"]), MinTrials: int(o["min_trials"]), Pareto: paretoAttrs(o)})
		},
	},
	{
		Name:    "sh",
		Doc:     "successive halving over cohorts of consecutive trials, deciding as soon as a trial is certainly out",
		Options: halvingOptions(true, false, false),
		New: func(o search.Options) (search.Pruner, error) {
			return NewSuccessiveHalving(HalvingConfig{MinResource: o["min_resource"], Eta: o["eta"],
				MaxResource: o["max_resource"], Cohort: int(o["cohort"]), Pareto: paretoAttrs(o)})
		},
	},
	{
		Name:    "asha",
		Doc:     "asynchronous successive halving: at each rung, go on only in the top 1/eta of the trials that reached it",
		Options: halvingOptions(false, true, false),
		New: func(o search.Options) (search.Pruner, error) {
			return NewASHA(HalvingConfig{MinResource: o["min_resource"], Eta: o["eta"],
				MaxResource: o["max_resource"], MinTrials: int(o["min_trials"]), Pareto: paretoAttrs(o)})
		},
	},
	{
		Name:    "hyperband",
		Doc:     "Hyperband: brackets of asynchronous successive halving with different first rungs; the bracket is a hash of the trial ID",
		Options: halvingOptions(false, true, true),
		New: func(o search.Options) (search.Pruner, error) {
			return NewHyperband(HyperbandConfig{MinResource: o["min_resource"], Eta: o["eta"],
				MaxResource: o["max_resource"], MinTrials: int(o["min_trials"]), Pareto: paretoAttrs(o)})
		},
	},
}

// Names lists the pruners New knows, sorted.
func Names() []string {
	out := make([]string, len(factories))
	for i, f := range factories {
		out[i] = f.Name
	}
	sort.Strings(out)
	return out
}

// Lookup returns the factory of a pruner by name.
func Lookup(name string) (Factory, bool) {
	for _, f := range factories {
		if f.Name == name {
			return f, true
		}
	}
	return Factory{}, false
}

// New builds a pruner by name; missing options take their defaults, unknown
// or out-of-range ones are an error.
func New(name string, opts search.Options) (search.Pruner, error) {
	f, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("pruners: unknown pruner %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	o := search.Options{}
	for _, opt := range f.Options {
		o[opt.Name] = opt.Default
	}
	for k, v := range opts {
		opt, ok := f.option(k)
		if !ok {
			return nil, fmt.Errorf("pruners: pruner %q has no option %q (options: %s)", name, k, strings.Join(f.optionNames(), ", "))
		}
		if !opt.Contains(v) {
			return nil, fmt.Errorf("pruners: pruner %q: option %s=%s is out of range", name, k, opt.Format(v))
		}
		o[k] = v
	}
	return f.New(o)
}

func (f Factory) option(name string) (search.Option, bool) {
	for _, o := range f.Options {
		if o.Name == name {
			return o, true
		}
	}
	return search.Option{}, false
}

func (f Factory) optionNames() []string {
	out := make([]string, len(f.Options))
	for i, o := range f.Options {
		out[i] = o.Name
	}
	return out
}
