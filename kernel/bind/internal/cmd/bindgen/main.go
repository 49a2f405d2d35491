// Command bindgen writes the generated files of package bind (run it with
// go generate ./kernel/bind).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/morphml/morphml/kernel/bind/internal/generate"
)

func main() {
	out := flag.String("o", ".", "directory of package bind")
	flag.Parse()
	files, err := generate.Generate(*out, generate.Packages)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bindgen:", err)
		os.Exit(1)
	}
	// remove stale generated files
	old, _ := filepath.Glob(filepath.Join(*out, "x_*.go"))
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep && strings.HasPrefix(filepath.Base(f), "x_") {
			os.Remove(f)
		}
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(*out, name), src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bindgen:", err)
			os.Exit(1)
		}
	}
}
