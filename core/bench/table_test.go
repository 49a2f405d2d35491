package bench_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/bench"
	_ "github.com/morphml/morphml/core/optimizers/evolution"
	_ "github.com/morphml/morphml/core/optimizers/random"
)

func TestNB201Table(t *testing.T) {
	var calls int
	tab, err := bench.RunNB201Table(context.Background(), bench.TableConfig{
		Optimizers: []string{"random", "evolution"}, Datasets: []string{bench.CIFAR10, bench.CIFAR100},
		Budgets: []int{10, 40}, Runs: 4, Seed: 3,
	}, func(done, total int, last bench.TableCell) {
		calls++
		if total != 8 || done != calls {
			t.Errorf("progress %d/%d after %d calls", done, total, calls)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Cells) != 8 {
		t.Fatalf("%d cells, want 8", len(tab.Cells))
	}
	// Each cell is exactly what RunNB201 measures for that configuration.
	rep, err := bench.RunNB201(context.Background(), bench.NB201Config{Optimizer: "evolution", Dataset: bench.CIFAR100, Budget: 40, Runs: 4, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := tab.Cells[7]
	if c.Optimizer != "evolution" || c.Dataset != bench.CIFAR100 || c.Budget != 40 || c.Mean != rep.Optimizer.Mean {
		t.Fatalf("last cell %+v, RunNB201 mean %v", c, rep.Optimizer.Mean)
	}
	md := tab.Markdown()
	for _, want := range []string{"| optimizer | cifar10 @10 | cifar10 @40 | cifar100 @10 | cifar100 @40 |", "| random |", "| evolution |", "REA (paper)", "ICLR 2020", "**", "| method | cifar10 | cifar100 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	var buf bytes.Buffer
	if err := tab.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != 9 {
		t.Fatalf("csv has %d lines, want 9", lines)
	}
}

func TestNB201TableUnknownOptimizer(t *testing.T) {
	_, err := bench.RunNB201Table(context.Background(), bench.TableConfig{Optimizers: []string{"nope"}, Budgets: []int{5}, Runs: 1}, nil)
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("err = %v", err)
	}
}
