package stats_test

import (
	"fmt"
	"testing"

	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/core/stats"
)

func TestEncoding(t *testing.T) {
	sp := &space.Space{Params: []space.Param{
		space.NewCategorical("act", "relu", "gelu", "tanh"),
		space.NewCategorical("fixed", "only"),
		space.NewInt("layers", 1, 4, false),
		space.NewFloat("lr", 1e-4, 1, true),
	}}
	e := stats.NewEncoding(sp)
	if e.Width() != 5 || e.NumGroups() != 3 {
		t.Fatalf("width %d, groups %d; want 5, 3", e.Width(), e.NumGroups())
	}
	if got := fmt.Sprint(e.Groups()); got != "[0 0 0 1 2]" {
		t.Errorf("groups %s", got)
	}
	if e.Param(1) != 2 {
		t.Errorf("group 1 is parameter %d, want 2", e.Param(1))
	}
	got := e.Encode(space.Point{2, 0, 1, 1e-2}, nil)
	want := []float64{0, 0, 1, 0.125, 0.5}
	for i := range want {
		if d := got[i] - want[i]; d > 1e-12 || d < -1e-12 {
			t.Fatalf("Encode = %v, want %v", got, want)
		}
	}
}

func ExampleEncoding() {
	sp := space.NB201(10)
	e := stats.NewEncoding(sp)
	x := e.Encode(space.Point{0, 1, 2, 3, 4, 0}, nil)
	fmt.Println(e.Width(), e.NumGroups(), x[:10])
	// Output: 30 6 [1 0 0 0 0 0 1 0 0 0]
}
