package train_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/data"
	"github.com/morphml/morphml/core/train/gorgonia"
)

// digits returns a small split of the embedded digits.
func digits(t testing.TB) *data.Split {
	t.Helper()
	s, err := data.Load("digits", data.Options{Seed: 1, MaxTrain: 400})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// smallCNN is a tiny network for 8x8 digits.
func smallCNN() *graph.Arch {
	a := &graph.Arch{Input: graph.Shape{1, 8, 8}}
	x := a.Add(graph.OpInput, nil)
	x = a.Add(graph.OpConv2D, map[string]int{"filters": 8, "kernel": 3}, x)
	x = a.Add(graph.OpBatchNorm, nil, x)
	x = a.Add(graph.OpReLU, nil, x)
	x = a.Add(graph.OpMaxPool, map[string]int{"pool": 2}, x)
	x = a.Add(graph.OpDropout, map[string]int{"rate_permille": 100}, x)
	x = a.Add(graph.OpFlatten, nil, x)
	a.Add(graph.OpOutput, map[string]int{"units": 10}, x)
	return a
}

func trainer(t testing.TB, o train.Options) *train.Trainer {
	t.Helper()
	tr, err := train.NewTrainer(gorgonia.New(), digits(t), o)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestSameSeedSameAccuracy(t *testing.T) {
	run := func(seed int64) *train.Result {
		res, err := trainer(t, train.Options{Epochs: 3, BatchSize: 32, LearningRate: 0.01, Seed: seed}).Train(context.Background(), smallCNN(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b, c := run(1), run(1), run(2)
	if a.ValAcc != b.ValAcc || a.TestAcc != b.TestAcc || a.Loss != b.Loss || !slices.Equal(a.Curve, b.Curve) {
		t.Errorf("seed 1 twice: %+v and %+v", a, b)
	}
	if a.Loss == c.Loss {
		t.Errorf("seeds 1 and 2 gave the same loss %v", a.Loss)
	}
	if a.ValAcc < 80 || a.TestAcc < 80 {
		t.Errorf("accuracy %.1f %% (val) %.1f %% (test) after 3 epochs, want above 80", a.ValAcc, a.TestAcc)
	}
}

// recorder is a Reporter and AttrSetter that stops at a given step.
type recorder struct {
	stopAt int
	steps  []int
	attrs  map[string]string
}

func (r *recorder) Report(step int, _ float64) bool {
	r.steps = append(r.steps, step)
	return step == r.stopAt
}

func (r *recorder) SetAttr(k, v string) {
	if r.attrs == nil {
		r.attrs = map[string]string{}
	}
	r.attrs[k] = v
}

func TestEvaluateReportsAndRecords(t *testing.T) {
	tests := []struct {
		name        string
		opts        train.Options
		stopAt      int
		wantEpochs  int
		wantStopped string
	}{
		{"all epochs", train.Options{Epochs: 2}, 0, 2, ""},
		{"pruned", train.Options{Epochs: 5}, 2, 2, "pruned"},
		{"step budget", train.Options{Epochs: 5, Steps: 15}, 0, 2, "steps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.BatchSize, tt.opts.Seed = 32, 1
			r := &recorder{stopAt: tt.stopAt}
			vals, err := trainer(t, tt.opts).Evaluate(context.Background(), smallCNN(), r)
			if err != nil {
				t.Fatal(err)
			}
			if len(vals) != 1 || vals[0] <= 0 || vals[0] > 100 {
				t.Errorf("values %v", vals)
			}
			if len(r.steps) != tt.wantEpochs || r.attrs[train.AttrEpochs] != fmt.Sprint(tt.wantEpochs) {
				t.Errorf("reported steps %v, epochs attr %q; want %d epochs", r.steps, r.attrs[train.AttrEpochs], tt.wantEpochs)
			}
			if r.attrs[train.AttrStopped] != tt.wantStopped {
				t.Errorf("stopped %q, want %q", r.attrs[train.AttrStopped], tt.wantStopped)
			}
			for _, k := range []string{train.AttrValAcc, train.AttrTestAcc, train.AttrLoss, train.AttrTrainTime,
				train.AttrFirstStep, train.AttrEngine, train.AttrLatency, train.AttrParams, train.AttrFLOPs, train.AttrSteps} {
				if r.attrs[k] == "" {
					t.Errorf("attribute %s not recorded (have %v)", k, r.attrs)
				}
			}
			if r.attrs[train.AttrParams] != "1378" {
				t.Errorf("params %s, want 1378 (graph.Count)", r.attrs[train.AttrParams])
			}
		})
	}
}

func TestEvaluateHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := trainer(t, train.Options{Epochs: 1}).Evaluate(ctx, smallCNN(), train.NopReporter{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestEvaluateErrors(t *testing.T) {
	wrongInput := smallCNN()
	wrongInput.Input = graph.Shape{1, 28, 28}
	fewOutputs := smallCNN()
	fewOutputs.Nodes[len(fewOutputs.Nodes)-1].Attrs = map[string]int{"units": 5}
	tests := []struct {
		name string
		a    *graph.Arch
		want string
	}{
		{"input shape", wrongInput, "takes inputs of shape [1 28 28] but the data has shape [1 8 8]"},
		{"classes", fewOutputs, "the network has 5 outputs but digits/train has 10 classes"},
		{"invalid arch", &graph.Arch{}, "architecture has no nodes"},
	}
	tr := trainer(t, train.Options{Epochs: 1})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tr.Evaluate(context.Background(), tt.a, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestOptions(t *testing.T) {
	d := train.Options{}.WithDefaults()
	if d.Optimizer != train.Adam || d.LearningRate != 1e-3 || d.BatchSize != 64 || d.Epochs != 10 {
		t.Errorf("defaults %+v", d)
	}
	if s := (train.Options{Optimizer: "SGD"}).WithDefaults(); s.Optimizer != train.SGD || s.LearningRate != 0.05 {
		t.Errorf("sgd defaults %+v", s)
	}
	tests := []struct {
		o    train.Options
		want string
	}{
		{train.Options{Optimizer: "rmsprop"}, `unknown optimizer "rmsprop"`},
		{train.Options{LearningRate: -1}, "learning rate must be in (0, 10]"},
		{train.Options{Momentum: 1}, "momentum must be in [0, 1)"},
		{train.Options{WeightDecay: -0.1}, "weight decay must be in [0, 1)"},
		{train.Options{BatchSize: -3}, "batch size must be in [1, 65536]"},
		{train.Options{Epochs: -1}, "epochs must be at least 1"},
		{train.Options{Steps: -1}, "steps must not be negative"},
		{train.Options{Patience: -1}, "patience must not be negative"},
	}
	for _, tt := range tests {
		err := tt.o.WithDefaults().Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v, want %q", tt.o, err, tt.want)
		}
	}
}

func TestReferenceArchs(t *testing.T) {
	for _, name := range train.ReferenceModels {
		a, err := train.ReferenceArch(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := graph.Validate(a); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := train.ReferenceArch("vgg"); err == nil {
		t.Error("unknown model accepted")
	}
}
