package main

import (
	"strconv"
	"strings"
	"testing"
)

// A tiny training search (dense networks, some with a 1- or 2-unit
// bottleneck that learns little, on 300 digits) run with and without ASHA:
// the command prints both and the pruned search trains fewer epochs.
func TestBenchASHA(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "tiny.morph", `
SearchSpace(name="tiny", input=[1, 8, 8], layers=[
    Layer.dense(units=[1, 2, 32, 64], activation="relu"),
    Layer.dropout(rate=[0.0, 0.5]),
    Layer.output(units=10)])
Evaluate(train="digits", epochs=9, batch_size=32, lr=0.01, max_train=300)
Prune(pruner="asha", eta=3, min_trials=2)
Search(optimizer="random", budget=8, seed=3, parallel=1)
`)
	out, errOut, code := morphml(t, "bench", "asha", file, "-q")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"no pruning", "asha", "trials pruned", "best validation accuracy (%)", "its test accuracy (%)", "of the epochs"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	row := func(name string) (without, with int) {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, name) {
				f := strings.Fields(line)
				a, err1 := strconv.Atoi(f[len(f)-2])
				b, err2 := strconv.Atoi(f[len(f)-1])
				if err1 != nil || err2 != nil {
					t.Fatalf("row %q: %q", name, line)
				}
				return a, b
			}
		}
		t.Fatalf("no row %q:\n%s", name, out)
		return 0, 0
	}
	if a, b := row("trials "); a != 8 || b != 8 {
		t.Errorf("trials: %d and %d, want 8 and 8", a, b)
	}
	if a, b := row("trials pruned"); a != 0 || b == 0 {
		t.Errorf("trials pruned: %d without pruning, %d with ASHA; want 0 and some", a, b)
	}
	if a, b := row("epochs trained"); a != 8*9 || b >= a {
		t.Errorf("epochs: %d without pruning (want %d), %d with ASHA (want fewer)\n%s", a, 8*9, b, out)
	}
	if _, errOut, code := morphml(t, "bench", "asha", writeFile(t, dir, "nb.morph", "SearchSpace(name=\"x\", cell=Cell.nb201())\nEvaluate(benchmark=\"nb201\", dataset=\"cifar10\")\n")); code == 0 || !strings.Contains(errOut, "train") {
		t.Errorf("a file that does not train: code %d, %s", code, errOut)
	}
}
