package data

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/morphml/morphml/core/graph"
)

// Dataset is a set of labelled samples held in memory.
type Dataset struct {
	Name    string      // for messages, e.g. "digits/train"
	Shape   graph.Shape // one sample: [C, H, W] for images, [features] for tables
	Classes int         // labels are in [0, Classes)
	X       []float32   // Len() samples of Shape.Size() values, one after another
	Y       []int       // the labels
	// ClassNames names the classes when the source did (CSV labels that
	// are not numbers); nil otherwise.
	ClassNames []string
}

// Len is the number of samples.
func (d *Dataset) Len() int { return len(d.Y) }

// Sample returns the values of sample i (a view, not a copy).
func (d *Dataset) Sample(i int) []float32 {
	n := d.Shape.Size()
	return d.X[i*n : (i+1)*n]
}

// Subset returns a new dataset with the samples at idx, in that order.
func (d *Dataset) Subset(name string, idx []int) *Dataset {
	n := d.Shape.Size()
	out := &Dataset{Name: name, Shape: append(graph.Shape(nil), d.Shape...), Classes: d.Classes,
		X: make([]float32, 0, len(idx)*n), Y: make([]int, 0, len(idx)), ClassNames: d.ClassNames}
	for _, i := range idx {
		out.X = append(out.X, d.Sample(i)...)
		out.Y = append(out.Y, d.Y[i])
	}
	return out
}

// check reports an inconsistent dataset.
func (d *Dataset) check() error {
	n := d.Shape.Size()
	switch {
	case len(d.Shape) == 0 || n <= 0:
		return fmt.Errorf("%s: bad sample shape %v", d.Name, d.Shape)
	case len(d.X) != n*len(d.Y):
		return fmt.Errorf("%s: %d values for %d samples of shape %v", d.Name, len(d.X), len(d.Y), d.Shape)
	case d.Classes < 1:
		return fmt.Errorf("%s: no classes", d.Name)
	}
	for i, y := range d.Y {
		if y < 0 || y >= d.Classes {
			return fmt.Errorf("%s: sample %d has label %d, outside [0, %d)", d.Name, i, y, d.Classes)
		}
	}
	return nil
}

// Split is a dataset divided for training: the optimiser trains on Train,
// the search compares architectures on Val, and Test is only reported.
type Split struct {
	Train, Val, Test *Dataset
}

// Shape is the shape of one sample.
func (s *Split) Shape() graph.Shape { return s.Train.Shape }

// Classes is the number of classes.
func (s *Split) Classes() int { return s.Train.Classes }

func (s *Split) String() string {
	return fmt.Sprintf("%s: %d train, %d validation, %d test samples of shape %v, %d classes",
		s.Train.Name, s.Train.Len(), s.Val.Len(), s.Test.Len(), s.Train.Shape, s.Train.Classes)
}

// permutation returns a seeded random order of n indices.
func permutation(n int, seed int64, stream uint64) []int {
	r := rand.New(rand.NewPCG(uint64(seed), stream))
	return r.Perm(n)
}

// Normalizer standardises samples: x' = (x - Mean[j]) / Std[j], with one
// (Mean, Std) pair for the whole sample (images) or one per feature
// (tables).
type Normalizer struct {
	Mean, Std []float64
}

// FitNormalizer measures d: per feature for vector samples, over all values
// for images. A constant feature gets Std 1.
func FitNormalizer(d *Dataset) Normalizer {
	feats := 1
	if len(d.Shape) == 1 {
		feats = d.Shape[0]
	}
	sum, sq, cnt := make([]float64, feats), make([]float64, feats), make([]float64, feats)
	for i, v := range d.X {
		j := i % feats
		sum[j] += float64(v)
		cnt[j]++
	}
	mean := make([]float64, feats)
	for j := range mean {
		if cnt[j] > 0 {
			mean[j] = sum[j] / cnt[j]
		}
	}
	for i, v := range d.X {
		j := i % feats
		dv := float64(v) - mean[j]
		sq[j] += dv * dv
	}
	std := make([]float64, feats)
	for j := range std {
		std[j] = 1
		if cnt[j] > 1 {
			if s := math.Sqrt(sq[j] / cnt[j]); s > 1e-8 {
				std[j] = s
			}
		}
	}
	return Normalizer{Mean: mean, Std: std}
}

// Apply standardises d in place.
func (nz Normalizer) Apply(d *Dataset) {
	feats := len(nz.Mean)
	for i, v := range d.X {
		j := i % feats
		d.X[i] = float32((float64(v) - nz.Mean[j]) / nz.Std[j])
	}
}
