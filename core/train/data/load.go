package data

import (
	"fmt"
	"os"
	"strings"

	"github.com/morphml/morphml/core/graph"
)

// Dataset names understood by Load. A CSV file is named "csv:PATH".
const (
	NameDigits       = "digits"
	NameMNIST        = "mnist"
	NameFashionMNIST = "fashion_mnist"
	CSVPrefix        = "csv:"
)

// Names lists the built-in dataset names (without the csv: form).
func Names() []string { return []string{NameDigits, NameMNIST, NameFashionMNIST} }

// Info is what is known about a dataset before loading it.
type Info struct {
	Shape   graph.Shape // one sample; nil for CSV files (known once read)
	Classes int         // 0 for CSV files
	// HasTest reports an official test set; otherwise Load holds out
	// Options.TestFraction of the samples.
	HasTest bool
	// ValFraction is the default share of the training samples held out
	// for validation.
	ValFraction float64
}

// Lookup returns what is known about a dataset name, and whether the name
// is valid ("csv:" followed by a path is).
func Lookup(name string) (Info, bool) {
	switch {
	case name == NameDigits:
		return Info{Shape: graph.Shape{1, 8, 8}, Classes: 10, ValFraction: 0.15}, true
	case name == NameMNIST, name == NameFashionMNIST:
		return Info{Shape: graph.Shape{1, 28, 28}, Classes: 10, HasTest: true, ValFraction: 0.1}, true
	case strings.HasPrefix(name, CSVPrefix) && len(name) > len(CSVPrefix):
		return Info{ValFraction: 0.15}, true
	}
	return Info{}, false
}

// Options say how Load splits and prepares a dataset.
type Options struct {
	// Seed shuffles the samples before they are split.
	Seed int64
	// ValFraction is the share of the training samples held out for
	// validation, in (0, 1); 0 means the dataset's default (Info).
	ValFraction float64
	// TestFraction is the share of all samples held out for testing when
	// the dataset has no test set of its own, in (0, 1); 0 means 0.2.
	TestFraction float64
	// MaxTrain, when > 0, keeps at most that many training samples (after
	// the validation samples are taken), for quick searches.
	MaxTrain int
	// Raw skips the standardisation.
	Raw bool
}

// Check reports whether a dataset can be loaded on this machine without
// reading it: the name is known and its files exist. The error says how to
// get missing files.
func Check(name string) error {
	if _, ok := Lookup(name); !ok {
		return fmt.Errorf("unknown dataset %q (known: %s, or csv:PATH)", name, strings.Join(Names(), ", "))
	}
	switch {
	case name == NameMNIST:
		_, _, err := mnistSet.find()
		return err
	case name == NameFashionMNIST:
		_, _, err := fashionSet.find()
		return err
	case strings.HasPrefix(name, CSVPrefix):
		path := name[len(CSVPrefix):]
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("CSV dataset %s: %w", path, err)
		}
	}
	return nil
}

// Load reads a dataset by name ("digits", "mnist", "fashion_mnist" or
// "csv:PATH") and splits it into training, validation and test sets:
// the official test set when there is one, else a seeded share of the
// samples; then a seeded share of the rest for validation. The samples are
// standardised with the mean and standard deviation of the training set
// (over all pixels for images, per feature for tables).
func Load(name string, o Options) (*Split, error) {
	info, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("unknown dataset %q (known: %s, or csv:PATH)", name, strings.Join(Names(), ", "))
	}
	if o.ValFraction == 0 {
		o.ValFraction = info.ValFraction
	}
	if o.TestFraction == 0 {
		o.TestFraction = 0.2
	}
	if !(o.ValFraction > 0 && o.ValFraction < 1) || !(o.TestFraction > 0 && o.TestFraction < 1) || o.ValFraction+o.TestFraction >= 1 && !info.HasTest {
		return nil, fmt.Errorf("dataset %s: validation and test fractions must be in (0, 1) and leave samples to train on, got %g and %g", name, o.ValFraction, o.TestFraction)
	}
	if o.MaxTrain < 0 {
		return nil, fmt.Errorf("dataset %s: max_train must not be negative, got %d", name, o.MaxTrain)
	}
	var all, test *Dataset
	var err error
	switch {
	case name == NameDigits:
		all, err = Digits()
	case name == NameMNIST:
		all, test, err = MNIST()
	case name == NameFashionMNIST:
		all, test, err = FashionMNIST()
	default:
		all, err = ReadCSVFile(name[len(CSVPrefix):])
	}
	if err != nil {
		return nil, err
	}
	base := name
	if strings.HasPrefix(name, CSVPrefix) {
		base = "csv"
	}
	perm := permutation(all.Len(), o.Seed, 1)
	if test == nil {
		nt := max(1, int(float64(all.Len())*o.TestFraction+0.5))
		if nt >= all.Len() {
			return nil, fmt.Errorf("dataset %s: %d samples are too few to split", name, all.Len())
		}
		test = all.Subset(base+"/test", perm[:nt])
		perm = perm[nt:]
	} else {
		test.Name = base + "/test"
	}
	nv := max(1, int(float64(len(perm))*o.ValFraction+0.5))
	if nv >= len(perm) {
		return nil, fmt.Errorf("dataset %s: %d samples are too few to split", name, len(perm))
	}
	s := &Split{Val: all.Subset(base+"/val", perm[:nv]), Test: test}
	rest := perm[nv:]
	if o.MaxTrain > 0 && len(rest) > o.MaxTrain {
		rest = rest[:o.MaxTrain]
	}
	s.Train = all.Subset(base+"/train", rest)
	if !o.Raw {
		nz := FitNormalizer(s.Train)
		for _, d := range []*Dataset{s.Train, s.Val, s.Test} {
			nz.Apply(d)
		}
	}
	return s, nil
}
