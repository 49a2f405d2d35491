package morph

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(cnnSrc))
	f.Add([]byte(head + `Search(optimizer="local", strategy="best", timeout="1h", directions=["min"])`))
	f.Add([]byte(`SearchSpace(cell=Cell.nb201(classes=10)) Evaluate(benchmark="nb201", dataset="imagenet16-120")`))
	f.Add([]byte(`SearchSpace(cell=Cell(nodes=3, ops=["none", "skip_connect"])) Param.float("lr", 1e-4, 1e-1, log=true)`))
	f.Add([]byte(`SearchSpace(input=[3, 8, 8], layers=[Layer.residual(layers=[Layer.conv2d([4, 8], stride=[1, 2])]), Layer.output(2)])`))
	f.Add([]byte("SearchSpace(name='a\\'b', input=[1_0], layers=[Layer.dense(-1e3), Layer.output(+2)])"))
	paths, _ := filepath.Glob("../../../examples/*.morph")
	for _, p := range paths {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Parse("f.morph", src)
		if err == nil {
			if file.Space == nil {
				t.Fatal("no error and no space")
			}
			return
		}
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 || len(list) > maxErrors {
			t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, e := range list {
			if e.Line < 1 || e.Line > lines || e.Col < 1 {
				t.Fatalf("bad position %d:%d (%d lines): %s", e.Line, e.Col, lines, e.Msg)
			}
			if strings.Contains(e.Msg, "internal error") {
				t.Fatalf("%s", e.Msg)
			}
		}
		_ = err.Error()
	})
}
