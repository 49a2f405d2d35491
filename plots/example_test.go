package plots_test

import (
	"fmt"
	"os"
	"path/filepath"

	"gonum.org/v1/plot/vg"

	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
	"github.com/morphml/morphml/plots"
)

// study is a small two-parameter study with four finished trials.
func study() (search.StudyInfo, []search.Trial) {
	info := search.StudyInfo{
		Name:       "example",
		Directions: []search.Direction{search.Maximize},
		Params:     []space.Param{space.NewCategorical("op", "conv", "pool"), space.NewInt("width", 8, 64, false)},
	}
	mk := func(id int, op, width, acc float64, params string) search.Trial {
		return search.Trial{ID: id, State: search.Complete, Params: space.Point{op, width}, Values: []float64{acc},
			Attrs: map[string]string{search.AttrArchParams: params}}
	}
	trials := []search.Trial{
		mk(0, 1, 8, 61.0, "1200"),
		mk(1, 0, 16, 70.5, "5400"),
		{ID: 2, State: search.Failed, Params: space.Point{0, 64}, Attrs: map[string]string{search.AttrError: "out of memory"}},
		mk(3, 0, 32, 74.0, "20800"),
		mk(4, 1, 32, 66.0, "20800"),
	}
	return info, trials
}

func ExampleHistoryData() {
	info, trials := study()
	h := plots.HistoryData(info, trials)[0]
	fmt.Println("metric:", h.Metric.Label())
	fmt.Println("trials:", h.Trials)
	fmt.Println("best so far:", h.Best)
	fmt.Println("failed:", h.Failed)
	// Output:
	// metric: value (higher is better)
	// trials: [{0 61} {1 70.5} {3 74} {4 66}]
	// best so far: [{0 61} {1 70.5} {3 74} {4 74}]
	// failed: [2]
}

func ExampleParetoFront() {
	info, trials := study()
	d, err := plots.ParetoFront(info, trials, plots.ParetoOptions{
		X:         plots.AttrMetric(search.AttrArchParams, search.Minimize),
		Y:         plots.ObjectiveMetric(info, 0),
		Reference: []float64{25000, 60},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range d.Front {
		fmt.Printf("trial %d: %s %.0f, %s %.1f\n", p.Trial, d.X.Name, p.X, d.Y.Name, p.Y)
	}
	fmt.Printf("hypervolume %.0f\n", d.Hypervolume)
	// Output:
	// trial 0: parameters 1200, value 61.0
	// trial 1: parameters 5400, value 70.5
	// trial 3: parameters 20800, value 74.0
	// hypervolume 224700
}

func ExampleHistory() {
	info, trials := study()
	fig, err := plots.History(info, trials)
	if err != nil {
		fmt.Println(err)
		return
	}
	path := filepath.Join(os.TempDir(), "morphml-history-example.svg")
	if err := fig.Save(path); err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(path)
	fmt.Println(fig.Width/vg.Inch, "x", fig.Height/vg.Inch, "inches")
	// Output: 6 x 4 inches
}

func ExampleCell() {
	fig, err := plots.Cell("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_1x1~2|")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(fig.PNG()) > 0, fig.Plot() == nil)
	// Output: true true
}
