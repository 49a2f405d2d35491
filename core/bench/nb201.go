package bench

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

//go:embed data/nb201.csv.gz
var nb201Gz []byte

// NB201Label is the key of graph.Arch.Labels under which space.NB201 puts
// the NAS-Bench-201 cell string of a decoded architecture.
const NB201Label = "nb201"

// NAS-Bench-201 datasets, as the Evaluator and the harness name them.
const (
	CIFAR10       = "cifar10"
	CIFAR100      = "cifar100"
	ImageNet16120 = "imagenet16-120"
)

// NB201Datasets lists the datasets of NAS-Bench-201.
func NB201Datasets() []string { return []string{CIFAR10, CIFAR100, ImageNet16120} }

// nb201Epochs is the step at which the evaluator reports: the table's
// validation accuracy is the one after 12 training epochs.
const nb201Epochs = 12

// NB201Result is the table's row for one architecture on one dataset
// (accuracies in percent).
type NB201Result struct {
	Index    int     // the architecture's index in the benchmark
	Arch     string  // the cell string
	IsoClass string  // equal for isomorphic cells
	Val12    float64 // validation accuracy after 12 epochs (what a search sees)
	Test12   float64 // test accuracy after 12 epochs
	Test200  float64 // test accuracy after 200 epochs (what a search reports)
}

// NB201 is the NAS-Bench-201 table. It is read-only and safe for concurrent
// use.
type NB201 struct {
	archs []string
	iso   []string
	// acc[d][i] holds dataset d's accuracies of architecture i.
	acc   [3][]nb201Acc
	index map[string]int
}

type nb201Acc struct{ val12, test12, test200 float64 }

var (
	nb201Once  sync.Once
	nb201Table *NB201
	nb201Err   error
)

// LoadNB201 returns the embedded NAS-Bench-201 table, parsing it on the first
// call.
func LoadNB201() (*NB201, error) {
	nb201Once.Do(func() { nb201Table, nb201Err = parseNB201(nb201Gz) })
	return nb201Table, nb201Err
}

// the CSV columns, after index, arch and iso_class
const (
	colC10Test200 = 3 + iota
	colC100Test200
	colIN16Test200
	colC10Val12
	colC10Test12
	colC100Val12
	colC100Test12
	colIN16Val12
	colIN16Test12
	nb201Cols
)

func parseNB201(gz []byte) (*NB201, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("nb201: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("nb201: %w", err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "index,arch,iso_class,c10_test_200ep") {
		return nil, fmt.Errorf("nb201: unexpected header %.80q", lines[0])
	}
	n := len(lines) - 1
	b := &NB201{archs: make([]string, n), iso: make([]string, n), index: make(map[string]int, n)}
	for d := range b.acc {
		b.acc[d] = make([]nb201Acc, n)
	}
	var f [nb201Cols]string
	var x [nb201Cols]float64
	for i, line := range lines[1:] {
		k := 0
		for s := range strings.SplitSeq(strings.TrimRight(line, "\r"), ",") {
			if k < nb201Cols {
				f[k] = s
			}
			k++
		}
		if k != nb201Cols {
			return nil, fmt.Errorf("nb201: line %d: %d fields, want %d", i+2, k, nb201Cols)
		}
		if f[0] != strconv.Itoa(i) {
			return nil, fmt.Errorf("nb201: line %d: index %q, want %d", i+2, f[0], i)
		}
		for c := colC10Test200; c < nb201Cols; c++ {
			if x[c], err = strconv.ParseFloat(f[c], 64); err != nil {
				return nil, fmt.Errorf("nb201: line %d: column %d: %w", i+2, c+1, err)
			}
		}
		if _, dup := b.index[f[1]]; dup {
			return nil, fmt.Errorf("nb201: line %d: architecture %s listed twice", i+2, f[1])
		}
		b.archs[i], b.iso[i], b.index[f[1]] = f[1], f[2], i
		b.acc[0][i] = nb201Acc{x[colC10Val12], x[colC10Test12], x[colC10Test200]}
		b.acc[1][i] = nb201Acc{x[colC100Val12], x[colC100Test12], x[colC100Test200]}
		b.acc[2][i] = nb201Acc{x[colIN16Val12], x[colIN16Test12], x[colIN16Test200]}
	}
	return b, nil
}

// Len is the number of architectures (15,625).
func (b *NB201) Len() int { return len(b.archs) }

// Arch returns the cell string of architecture index i.
func (b *NB201) Arch(i int) string { return b.archs[i] }

// Index returns the index of a cell string, or false when the table has no
// such architecture.
func (b *NB201) Index(arch string) (int, bool) {
	i, ok := b.index[arch]
	return i, ok
}

// dataset returns the position of a dataset name.
func dataset(name string) (int, error) {
	for d, n := range NB201Datasets() {
		if n == name {
			return d, nil
		}
	}
	return 0, fmt.Errorf("nb201: unknown dataset %q (valid: %s)", name, strings.Join(NB201Datasets(), ", "))
}

// Result returns the table's row for a cell string on a dataset.
func (b *NB201) Result(arch, ds string) (NB201Result, error) {
	d, err := dataset(ds)
	if err != nil {
		return NB201Result{}, err
	}
	i, ok := b.index[arch]
	if !ok {
		return NB201Result{}, fmt.Errorf("nb201: no architecture %q in the table", arch)
	}
	a := b.acc[d][i]
	return NB201Result{Index: i, Arch: arch, IsoClass: b.iso[i], Val12: a.val12, Test12: a.test12, Test200: a.test200}, nil
}

// ValidationAccuracy is the 12-epoch validation accuracy (percent) of a cell
// on a dataset: what a search sees.
func (b *NB201) ValidationAccuracy(arch, ds string) (float64, error) {
	r, err := b.Result(arch, ds)
	return r.Val12, err
}

// TestAccuracy is the 200-epoch test accuracy (percent) of a cell on a
// dataset: what a search reports for its final pick.
func (b *NB201) TestAccuracy(arch, ds string) (float64, error) {
	r, err := b.Result(arch, ds)
	return r.Test200, err
}

// MaxTestAccuracy is the best 200-epoch test accuracy of any cell on a
// dataset (94.37 on CIFAR-10, 73.51 on CIFAR-100, 47.31 on ImageNet16-120).
func (b *NB201) MaxTestAccuracy(ds string) (float64, error) {
	d, err := dataset(ds)
	if err != nil {
		return 0, err
	}
	m := b.acc[d][0].test200
	for _, a := range b.acc[d] {
		m = max(m, a.test200)
	}
	return m, nil
}

// Oracle returns the cell with the best 12-epoch validation accuracy on a
// dataset (the lowest index on ties): the pick of a search that queried every
// architecture, and so the best result the honest protocol allows.
func (b *NB201) Oracle(ds string) (NB201Result, error) {
	d, err := dataset(ds)
	if err != nil {
		return NB201Result{}, err
	}
	best := 0
	for i, a := range b.acc[d] {
		if a.val12 > b.acc[d][best].val12 {
			best = i
		}
	}
	return b.Result(b.archs[best], ds)
}
