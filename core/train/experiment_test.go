package train_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/experiment"
	_ "github.com/morphml/morphml/core/optimizers"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space/morph"
	"github.com/morphml/morphml/core/train"
)

// TestExperimentTrainsDigits runs a .morph file that trains on the
// embedded digits end to end: parse, load the data, search, record.
func TestExperimentTrainsDigits(t *testing.T) {
	src := `SearchSpace(name="tiny", input=[1, 8, 8], layers=[
    Layer.conv2d(filters=[4, 8], kernel_size=3, activation="relu"),
    Layer.maxpool(2), Layer.output(units=10)])
Evaluate(train="digits", epochs=2, batch_size=32, lr=0.01, max_train=300)
Search(optimizer="random", budget=3, seed=2, parallel=2)
`
	f, err := morph.Parse("tiny.morph", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	st, err := experiment.Run(context.Background(), f, experiment.Options{Study: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	trials := st.Trials()
	if len(trials) != 3 {
		t.Fatalf("%d trials", len(trials))
	}
	for _, tr := range trials {
		if tr.State != search.Complete {
			t.Fatalf("trial %d: %v %v", tr.ID, tr.State, tr.Attrs)
		}
		if tr.Attrs[search.AttrCachedBy] != "" {
			continue
		}
		if len(tr.Curve) != 2 {
			t.Errorf("trial %d: curve %v, want one value per epoch", tr.ID, tr.Curve)
		}
		acc, err := strconv.ParseFloat(tr.Attrs[train.AttrTestAcc], 64)
		if err != nil || acc < 50 {
			t.Errorf("trial %d: test accuracy %q", tr.ID, tr.Attrs[train.AttrTestAcc])
		}
	}
}

func TestExperimentTrainerErrors(t *testing.T) {
	dir := t.TempDir()
	// A CSV whose features do not match the space's input: found before
	// any trial runs.
	csv := "1,2,3,0\n4,5,6,1\n7,8,9,0\n1,1,1,1\n2,2,2,0\n3,3,3,1\n4,4,4,0\n5,5,5,1\n6,6,6,0\n7,7,7,1\n"
	if err := os.WriteFile(filepath.Join(dir, "d.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `SearchSpace(input=[2], layers=[Layer.dense(units=4), Layer.output(units=2)])
Evaluate(train="csv:d.csv")`
	f, err := morph.Parse(filepath.Join(dir, "x.morph"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = experiment.Objective(f)
	if err == nil || !strings.Contains(err.Error(), "the space's input is [2] but the samples of csv:") {
		t.Errorf("err = %v", err)
	}
}
