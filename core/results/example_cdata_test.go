//go:build cgo

package results_test

import (
	"fmt"

	"github.com/morphml/morphml/core/results"
)

func ExampleExportC() {
	info, trials := exampleStudy()
	// C memory: the consumer may keep the buffers after the call.
	rec, err := results.Trials(info, trials, results.CAllocator())
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := results.ExportC(rec)
	rec.Release() // the export keeps what it needs
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Release() // always, once the consumer has imported (or not)

	// In Python: batch = pyarrow.RecordBatch._import_from_c(c.Array, c.Schema)
	back, err := results.ImportC(c.Array, c.Schema)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer back.Release()
	fmt.Println(back.NumRows(), "rows,", back.NumCols(), "columns; state of trial 1:", back.Column(1).ValueStr(1))
	// Output: 2 rows, 14 columns; state of trial 1: failed
}
