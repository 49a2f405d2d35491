package data

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/morphml/morphml/core/graph"
)

//go:embed digits.csv.gz
var digitsCSV []byte

// Digits returns the UCI optical handwritten digits embedded in the binary:
// 1,797 grey images of 8x8 pixels as [1, 8, 8] samples scaled to [0, 1],
// 10 classes. See README.md in this folder for the source.
func Digits() (*Dataset, error) {
	z, err := gzip.NewReader(bytes.NewReader(digitsCSV))
	if err != nil {
		return nil, fmt.Errorf("digits: %w", err)
	}
	d, err := ReadCSV("digits", z)
	if err != nil {
		return nil, err
	}
	if d.Shape[0] != 64 || d.Classes != 10 {
		return nil, fmt.Errorf("digits: got %d features and %d classes, want 64 and 10", d.Shape[0], d.Classes)
	}
	for i := range d.X {
		d.X[i] /= 16
	}
	d.Shape = graph.Shape{1, 8, 8}
	d.ClassNames = nil
	return d, nil
}

// ReadCSV reads a table of numbers whose last column is the label: one
// sample a row, [features] values each. A first row that is not numeric is
// taken as a header. Labels that are all integers in [0, 1000) are used as
// they are; otherwise each distinct label becomes a class, in sorted order,
// and ClassNames keeps the names. A file ending in .gz is read through gzip
// by ReadCSVFile.
func ReadCSV(name string, r io.Reader) (*Dataset, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.Comment = '#'
	var labels []string
	d := &Dataset{Name: name}
	feats := -1
	line := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) < 2 {
			return nil, fmt.Errorf("%s: line %d: %d column, want at least 2 (features, then the label)", name, line, len(rec))
		}
		row := make([]float32, len(rec)-1)
		bad := -1
		for j, f := range rec[:len(rec)-1] {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 32)
			if err != nil {
				bad = j
				break
			}
			row[j] = float32(v)
		}
		if bad >= 0 {
			if line == 1 {
				continue // a header
			}
			return nil, fmt.Errorf("%s: line %d, column %d: %q is not a number", name, line, bad+1, rec[bad])
		}
		if feats < 0 {
			feats = len(row)
		} else if len(row) != feats {
			return nil, fmt.Errorf("%s: line %d has %d features, the first row %d", name, line, len(row), feats)
		}
		d.X = append(d.X, row...)
		labels = append(labels, strings.TrimSpace(rec[len(rec)-1]))
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("%s: no rows", name)
	}
	d.Shape = graph.Shape{feats}
	d.Y = make([]int, len(labels))
	numeric := true
	for i, l := range labels {
		v, err := strconv.Atoi(l)
		if err != nil || v < 0 || v >= 1000 {
			numeric = false
			break
		}
		d.Y[i] = v
		d.Classes = max(d.Classes, v+1)
	}
	if !numeric {
		names := slices.Clone(labels)
		slices.Sort(names)
		names = slices.Compact(names)
		for i, l := range labels {
			d.Y[i], _ = slices.BinarySearch(names, l)
		}
		d.Classes, d.ClassNames = len(names), names
	}
	return d, d.check()
}

// ReadCSVFile reads a CSV file (see ReadCSV), gunzipping a .gz file.
func ReadCSVFile(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read CSV data: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("read CSV data %s: %w", path, err)
		}
		r = z
	}
	return ReadCSV(path, r)
}
