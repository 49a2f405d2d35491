package results_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/morphml/morphml/core/results"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

func exampleStudy() (search.StudyInfo, []search.Trial) {
	info := search.StudyInfo{
		Name: "demo", Optimizer: "random", Seed: 1,
		Directions: []search.Direction{search.Maximize},
		Params:     []space.Param{space.NewCategorical("act", "relu", "gelu"), space.NewFloat("lr", 1e-4, 1e-1, true)},
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	trials := []search.Trial{
		{ID: 0, Params: space.Point{1, 0.01}, State: search.Complete, Values: []float64{0.91},
			Curve: []search.Step{{Step: 1, Value: 0.8}, {Step: 2, Value: 0.91}}, Started: start, Finished: start.Add(2 * time.Second)},
		{ID: 1, Params: space.Point{0, 0.1}, State: search.Failed, Attrs: map[string]string{search.AttrError: "diverged"},
			Started: start.Add(time.Second), Finished: start.Add(1500 * time.Millisecond)},
	}
	return info, trials
}

func ExampleTrials() {
	info, trials := exampleStudy()
	rec, err := results.Trials(info, trials, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rec.Release()
	for i, f := range rec.Schema().Fields() {
		col := rec.Column(i)
		typ := f.Type.String()
		if d, ok := f.Type.(*arrow.DictionaryType); ok {
			typ = "dictionary<" + d.IndexType.String() + ">"
		}
		line := fmt.Sprintf("%-11s %-21s", f.Name, typ)
		for row := 0; row < col.Len(); row++ {
			line += fmt.Sprintf(" %-23s", col.ValueStr(row))
		}
		fmt.Println(strings.TrimSpace(line))
	}
	// Output:
	// trial       int64                 0                       1
	// state       dictionary<int8>      complete                failed
	// act         dictionary<int8>      gelu                    relu
	// lr          float64               0.01                    0.1
	// value_0     float64               0.91                    (null)
	// arch_hash   utf8                  (null)                  (null)
	// arch_params int64                 (null)                  (null)
	// arch_flops  int64                 (null)                  (null)
	// duration_s  float64               2                       0.5
	// worker      utf8                  (null)                  (null)
	// started     timestamp[ns, tz=UTC] 2026-01-01T00:00:00Z    2026-01-01T00:00:01Z
	// finished    timestamp[ns, tz=UTC] 2026-01-01T00:00:02Z    2026-01-01T00:00:01.5Z
	// error       utf8                  (null)                  diverged
	// cached_by   int64                 (null)                  (null)
}

func ExampleCurves() {
	info, trials := exampleStudy()
	rec, err := results.Curves(info, trials, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rec.Release()
	for i, f := range rec.Schema().Fields() {
		fmt.Println(f.Name, rec.Column(i))
	}
	// Output:
	// trial [0 0]
	// step [1 2]
	// value [0.8 0.91]
}
