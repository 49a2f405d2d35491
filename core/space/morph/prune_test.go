package morph_test

import (
	"strings"
	"testing"

	"github.com/morphml/morphml/core/space/morph"
)

const pruneSpace = `SearchSpace(name="d", input=[1, 8, 8], layers=[Layer.conv2d(filters=[8, 16]), Layer.output(units=10)])
Search(optimizer="random", budget=4)
`

func TestPruneStatement(t *testing.T) {
	f, err := morph.Parse("p.morph", []byte(pruneSpace+`Prune(pruner="asha", eta=2, min_trials=3)`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Prune == nil || f.Prune.Pruner != "asha" || f.Prune.Options["eta"] != 2 || f.Prune.Options["min_trials"] != 3 {
		t.Fatalf("Prune = %+v", f.Prune)
	}
	if _, ok := f.Prune.Options["min_resource"]; !ok {
		t.Fatal("defaults not filled in")
	}
	none, err := morph.Parse("p.morph", []byte(pruneSpace))
	if err != nil || none.Prune != nil {
		t.Fatalf("no Prune statement: %+v, %v", none.Prune, err)
	}
}

func TestPruneErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`Prune(pruner="ashaa")`, `p.morph:3:14: unknown pruner "ashaa" — did you mean "asha"?`},
		{`Prune(pruner="median", eta=2)`, `p.morph:3:24: unknown argument "eta" for Prune`},
		{`Prune(pruner="asha", eta=0.5)`, `p.morph:3:`},
		{`Prune(eta=2)`, `p.morph:3:1:`},
	} {
		_, err := morph.Parse("p.morph", []byte(pruneSpace+c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.src, err, c.want)
		}
	}
}
