package examples_test

import (
	"io/fs"
	"math/rand/v2"
	"testing"

	_ "github.com/morphml/morphml/core/optimizers" // every optimizer, by name
	"github.com/morphml/morphml/core/space/morph"
	"github.com/morphml/morphml/examples"
)

// TestExamplesParse: every shipped experiment parses without warnings, and
// its space decodes sampled points into architectures.
func TestExamplesParse(t *testing.T) {
	names, err := fs.Glob(examples.Files, "*.morph")
	if err != nil || len(names) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, name := range names {
		src, err := fs.ReadFile(examples.Files, name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := morph.Parse(name, src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, w := range f.Warnings {
			t.Errorf("%s: warning: %v", name, w)
		}
		if f.Search == nil || f.Space == nil {
			t.Errorf("%s: no Search or no space", name)
			continue
		}
		r := rand.New(rand.NewPCG(1, 2))
		for range 20 {
			if _, err := f.Space.Decode(f.Space.Sample(r)); err != nil {
				t.Errorf("%s: a sampled point does not decode: %v", name, err)
				break
			}
		}
	}
}
