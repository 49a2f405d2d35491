package bench

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// PaperResult is a figure published in the NAS-Bench-201 paper (Dong & Yang,
// "NAS-Bench-201: Extending the Scope of Reproducible Neural Architecture
// Search", ICLR 2020, Table 5): the mean ± std test accuracy (%) of the
// architecture each method found, per dataset, over its runs. The non-
// weight-sharing methods there were given a simulated time budget (the
// training time of the queried architectures), not a number of queries.
type PaperResult struct {
	Method string
	Mean   map[string]float64
	Std    map[string]float64
}

// PaperResults are the reference rows printed beside measured tables. RS,
// REINFORCE and the optimum are checked against the paper by this project;
// REA and BOHB are quoted from the same table.
var PaperResults = []PaperResult{
	{"REA (paper)", map[string]float64{CIFAR10: 93.92, CIFAR100: 71.84, ImageNet16120: 45.54},
		map[string]float64{CIFAR10: 0.30, CIFAR100: 0.99, ImageNet16120: 1.03}},
	{"RS (paper)", map[string]float64{CIFAR10: 93.70, CIFAR100: 71.04, ImageNet16120: 44.57},
		map[string]float64{CIFAR10: 0.36, CIFAR100: 1.07, ImageNet16120: 1.25}},
	{"REINFORCE (paper)", map[string]float64{CIFAR10: 93.85, CIFAR100: 71.71, ImageNet16120: 45.24},
		map[string]float64{CIFAR10: 0.37, CIFAR100: 1.09, ImageNet16120: 1.18}},
	{"BOHB (paper)", map[string]float64{CIFAR10: 93.61, CIFAR100: 70.85, ImageNet16120: 44.42},
		map[string]float64{CIFAR10: 0.52, CIFAR100: 1.28, ImageNet16120: 1.49}},
	{"optimum", map[string]float64{CIFAR10: 94.37, CIFAR100: 73.51, ImageNet16120: 47.31},
		map[string]float64{CIFAR10: 0, CIFAR100: 0, ImageNet16120: 0}},
}

// TableConfig says which optimizers, datasets and budgets a table covers.
type TableConfig struct {
	Optimizers []string // registered names
	Datasets   []string // default: all three
	Budgets    []int    // default: 50, 100, 300
	Runs       int      // per cell (default 100)
	Seed       int64
	Parallel   int // runs at once
}

// TableCell is one optimizer on one dataset at one budget.
type TableCell struct {
	Optimizer string
	Dataset   string
	Budget    int
	Mean, Std float64
	Runs      int
	Elapsed   time.Duration
}

// Table is a grid of NAS-Bench-201 results: every optimizer on every dataset
// at every budget, each cell measured by RunNB201.
type Table struct {
	Config TableConfig
	Cells  []TableCell // optimizer-major, then dataset, then budget
}

// RunNB201Table measures every cell of the grid. progress, if not nil, is
// called after each cell with the cells done and the total.
func RunNB201Table(ctx context.Context, cfg TableConfig, progress func(done, total int, last TableCell)) (*Table, error) {
	if len(cfg.Optimizers) == 0 {
		return nil, fmt.Errorf("nb201 table: no optimizers")
	}
	if len(cfg.Datasets) == 0 {
		cfg.Datasets = NB201Datasets()
	}
	if len(cfg.Budgets) == 0 {
		cfg.Budgets = []int{50, 100, 300}
	}
	if cfg.Runs == 0 {
		cfg.Runs = 100
	}
	t := &Table{Config: cfg}
	total := len(cfg.Optimizers) * len(cfg.Datasets) * len(cfg.Budgets)
	for _, opt := range cfg.Optimizers {
		for _, ds := range cfg.Datasets {
			for _, b := range cfg.Budgets {
				rep, err := RunNB201(ctx, NB201Config{Optimizer: opt, Dataset: ds, Budget: b, Runs: cfg.Runs,
					Seed: cfg.Seed, Parallel: cfg.Parallel}, nil)
				if err != nil {
					return t, fmt.Errorf("nb201 table: %s on %s at %d queries: %w", opt, ds, b, err)
				}
				c := TableCell{Optimizer: opt, Dataset: ds, Budget: b, Mean: rep.Optimizer.Mean,
					Std: rep.Optimizer.Std, Runs: cfg.Runs, Elapsed: rep.Elapsed}
				t.Cells = append(t.Cells, c)
				if progress != nil {
					progress(len(t.Cells), total, c)
				}
			}
		}
	}
	return t, nil
}

func (t *Table) cell(opt, ds string, b int) (TableCell, bool) {
	for _, c := range t.Cells {
		if c.Optimizer == opt && c.Dataset == ds && c.Budget == b {
			return c, true
		}
	}
	return TableCell{}, false
}

// Markdown renders the grid, one row per optimizer and one column per
// dataset and budget, followed by the paper's reference rows, with the
// protocol and the source below it.
func (t *Table) Markdown() string {
	var b strings.Builder
	header := []string{"optimizer"}
	sep := []string{"---"}
	for _, ds := range t.Config.Datasets {
		for _, q := range t.Config.Budgets {
			header = append(header, fmt.Sprintf("%s @%d", ds, q))
			sep = append(sep, "---")
		}
	}
	fmt.Fprintf(&b, "| %s |\n| %s |\n", strings.Join(header, " | "), strings.Join(sep, " | "))
	for _, opt := range t.Config.Optimizers {
		row := []string{opt}
		for _, ds := range t.Config.Datasets {
			best := t.bestMean(ds)
			for _, q := range t.Config.Budgets {
				c, ok := t.cell(opt, ds, q)
				switch {
				case !ok:
					row = append(row, "")
				case c.Mean == best[q]:
					row = append(row, fmt.Sprintf("**%.2f ± %.2f**", c.Mean, c.Std))
				default:
					row = append(row, fmt.Sprintf("%.2f ± %.2f", c.Mean, c.Std))
				}
			}
		}
		fmt.Fprintf(&b, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintf(&b, "\nPublished (Dong & Yang, NAS-Bench-201, ICLR 2020, Table 5; a simulated training-time budget, not a number of queries):\n\n")
	fmt.Fprintf(&b, "| method | %s |\n|---|%s\n", strings.Join(t.Config.Datasets, " | "), strings.Repeat("---|", len(t.Config.Datasets)))
	for _, p := range PaperResults {
		row := []string{p.Method}
		for _, ds := range t.Config.Datasets {
			cell := fmt.Sprintf("%.2f ± %.2f", p.Mean[ds], p.Std[ds])
			if p.Std[ds] == 0 {
				cell = fmt.Sprintf("%.2f", p.Mean[ds])
			}
			row = append(row, cell)
		}
		fmt.Fprintf(&b, "| %s |\n", strings.Join(row, " | "))
	}
	fmt.Fprintf(&b, "\nMeasured: final 200-epoch test accuracy (%%) of each run's pick (best 12-epoch validation accuracy seen), mean ± std over %d runs (seeds %d..%d); bold: the best mean in its column. "+
		"The published rows are there for reference: their budget was simulated training time, not queries.\n",
		t.Config.Runs, t.Config.Seed, t.Config.Seed+int64(t.Config.Runs)-1)
	return b.String()
}

func (t *Table) bestMean(ds string) map[int]float64 {
	best := map[int]float64{}
	for _, c := range t.Cells {
		if c.Dataset == ds && (best[c.Budget] == 0 || c.Mean > best[c.Budget]) {
			best[c.Budget] = c.Mean
		}
	}
	return best
}

// WriteCSV writes one line per cell: optimizer, dataset, budget, runs, mean,
// std, seconds.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"optimizer", "dataset", "budget", "runs", "mean_test_acc", "std_test_acc", "seconds"}); err != nil {
		return err
	}
	for _, c := range t.Cells {
		if err := cw.Write([]string{c.Optimizer, c.Dataset, strconv.Itoa(c.Budget), strconv.Itoa(c.Runs),
			strconv.FormatFloat(c.Mean, 'f', 4, 64), strconv.FormatFloat(c.Std, 'f', 4, 64),
			strconv.FormatFloat(c.Elapsed.Seconds(), 'f', 2, 64)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
