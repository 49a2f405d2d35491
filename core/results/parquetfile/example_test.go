package parquetfile_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/morphml/morphml/core/results"
	"github.com/morphml/morphml/core/results/parquetfile"
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

func ExampleWrite() {
	info, trials := exampleStudy()
	rec, err := results.Trials(info, trials, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer rec.Release()
	var file bytes.Buffer // or an *os.File
	if err := parquetfile.Write(&file, rec); err != nil {
		fmt.Println(err)
		return
	}
	back, err := parquetfile.Read(bytes.NewReader(file.Bytes()), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer back.Release()
	got, _ := results.Info(back.Schema())
	fmt.Println(back.NumRows(), "rows; same data:", array.RecordEqual(rec, back), "; study", got.Name, "optimizer", got.Optimizer)
	// Output:
	// 2 rows; same data: true ; study demo optimizer random
}
