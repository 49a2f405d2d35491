package bind

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/morphml/morphml/kernel/bind/internal/generate"
)

// TestGeneratedCurrent fails when the x_*.go files differ from what
// 'go generate ./kernel/bind' writes now.
func TestGeneratedCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and type-checks the bound packages")
	}
	want, err := generate.Generate(".", generate.Packages)
	if err != nil {
		t.Fatal(err)
	}
	have, _ := filepath.Glob("x_*.go")
	for _, f := range have {
		if _, ok := want[f]; !ok {
			t.Errorf("%s is not generated any more: run go generate ./kernel/bind", f)
		}
	}
	for name, src := range want {
		got, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(got, src) {
			t.Errorf("%s is stale: run go generate ./kernel/bind", name)
		}
	}
}

func TestDoc(t *testing.T) {
	for _, name := range []string{"search.NewStudy", "search.Study.Optimize", "space.NB201", "nb.Display"} {
		if Doc(name) == "" {
			t.Errorf("no documentation for %s", name)
		}
	}
	if Doc("search.NoSuchName") != "" || Doc("nothing") != "" {
		t.Error("documentation for unknown names")
	}
}
