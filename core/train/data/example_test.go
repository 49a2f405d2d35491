package data_test

import (
	"fmt"

	"github.com/morphml/morphml/core/train/data"
)

// The embedded digits, split with a seed and standardised.
func ExampleLoad() {
	s, err := data.Load("digits", data.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s)
	fmt.Println(len(s.Train.Sample(0)), "values per sample")
	// Output:
	// digits/train: 1222 train, 216 validation, 359 test samples of shape [1 8 8], 10 classes
	// 64 values per sample
}
