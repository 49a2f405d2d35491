package morph

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/train"
	"github.com/morphml/morphml/core/train/data"
)

// digitsHead is a valid space for the digits dataset.
const digitsHead = "SearchSpace(input=[1, 8, 8], layers=[Layer.dense(units=[8, 16]), Layer.output(units=10)])\n"

func TestParseTrain(t *testing.T) {
	src := digitsHead + `Evaluate(train="digits", epochs=3, batch_size=32, lr=0.01, optimizer="sgd", patience=2, weight_decay=1e-4, val_fraction=0.2, max_train=500)
Search(optimizer="random", budget=4, seed=7)
`
	f, err := Parse("x.morph", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := Evaluate{Kind: KindTrain, Dataset: "digits",
		Training: train.Options{Optimizer: "sgd", LearningRate: 0.01, Momentum: 0.9, WeightDecay: 1e-4, BatchSize: 32, Epochs: 3, Patience: 2, Seed: 7},
		Data:     data.Options{Seed: 7, ValFraction: 0.2, MaxTrain: 500}}
	if got := *f.Evaluate; got != want {
		t.Errorf("evaluate =\n%+v, want\n%+v", got, want)
	}
	if s := f.String(); !strings.Contains(s, "train on digits (sgd, lr 0.01, batch 32, 3 epochs)") {
		t.Errorf("String() = %q", s)
	}
}

func TestParseTrainDefaults(t *testing.T) {
	f, err := Parse("x.morph", []byte(digitsHead+`Evaluate(train="digits", seed=3)`+"\nSearch(seed=9)"))
	if err != nil {
		t.Fatal(err)
	}
	o := f.Evaluate.Training
	if o.Optimizer != "adam" || o.LearningRate != 1e-3 || o.BatchSize != 64 || o.Epochs != 10 || o.Seed != 3 || f.Evaluate.Data.Seed != 3 {
		t.Errorf("training options %+v", o)
	}
}

func TestParseTrainCellDefaults(t *testing.T) {
	// A cell space takes the dataset's image shape and classes.
	f, err := Parse("x.morph", []byte(`SearchSpace(cell=Cell(nodes=3, ops=["none", "nor_conv_3x3"], stages=[4, 8], cells=1))
Evaluate(train="digits")`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.Space.Decode(make([]float64, len(f.Space.Params)))
	if err != nil {
		t.Fatal(err)
	}
	if a.Input.String() != "[1 8 8]" || a.Nodes[a.Output()].Attr("units", 0) != 10 {
		t.Errorf("input %v, classes %d", a.Input, a.Nodes[a.Output()].Attr("units", 0))
	}
}

func TestParseTrainCSV(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte("1,2,0\n3,4,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "SearchSpace(input=[2], layers=[Layer.dense(units=4), Layer.output(units=2)])\n" + `Evaluate(train="csv:t.csv")`
	f, err := Parse(filepath.Join(dir, "exp.morph"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if want := "csv:" + filepath.Join(dir, "t.csv"); f.Evaluate.Dataset != want {
		t.Errorf("dataset %q, want %q (relative to the .morph file)", f.Evaluate.Dataset, want)
	}
}

func TestParseTrainErrors(t *testing.T) {
	tests := []struct {
		name, src string
		pos, msg  string
	}{
		{"unknown dataset", digitsHead + `Evaluate(train="digit")`, "2:16", `unknown dataset "digit" — did you mean "digits"? (known: digits, mnist, fashion_mnist, or csv:PATH)`},
		{"fashion spelling", digitsHead + `Evaluate(train="fashion-mnist")`, "2:16", `unknown dataset "fashion-mnist" — did you mean "fashion_mnist"? (known: digits, mnist, fashion_mnist, or csv:PATH)`},
		{"missing csv", digitsHead + `Evaluate(train="csv:nowhere.csv")`, "2:16", "CSV dataset nowhere.csv: no such file or directory"},
		{"both kinds", digitsHead + `Evaluate(train="digits", benchmark="nb201")`, "2:36", "Evaluate takes benchmark= or train=, not both"},
		{"dataset with train", digitsHead + `Evaluate(train="digits", dataset="cifar10")`, "2:34", "dataset applies to benchmark=; with train= the dataset is the train argument"},
		{"epochs with benchmark", "SearchSpace(cell=Cell.nb201())\n" + `Evaluate(benchmark="nb201", epochs=3)`, "2:36", `epochs applies to training (train=...), not to benchmark="nb201"`},
		{"zero epochs", digitsHead + `Evaluate(train="digits", epochs=0)`, "2:33", "epochs must be at least 1, got 0"},
		{"bad lr", digitsHead + `Evaluate(train="digits", lr=0)`, "2:29", "lr must be in (0, 10], got 0"},
		{"bad optimizer", digitsHead + `Evaluate(train="digits", optimizer="adma")`, "2:36", `unknown optimizer "adma" — did you mean "adam"? (known: adam, sgd)`},
		{"momentum with adam", digitsHead + `Evaluate(train="digits", momentum=0.5)`, "2:35", `momentum applies to optimizer="sgd"`},
		{"too few outputs", "SearchSpace(input=[1, 8, 8], layers=[Layer.output(units=5)])\n" + `Evaluate(train="digits")`, "2:16", `the classifier head has 5 outputs but "digits" has 10 classes: use Layer.output(units=10)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.morph", []byte(tt.src))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if got := (Pos{Line: e.Line, Col: e.Col}).String(); got != tt.pos || e.Msg != tt.msg {
				t.Errorf("got  %s %q\nwant %s %q", got, e.Msg, tt.pos, tt.msg)
			}
		})
	}
}
