package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlot(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	if out, errOut, code := morphml(t, "run", nb201Example, "--db", db, "--study", "demo", "--budget", "40", "-q"); code != 0 {
		t.Fatalf("run: code %d\n%s\n%s", code, out, errOut)
	}
	cases := []struct {
		kind  string
		args  []string
		file  string
		title string // text the SVG must hold
	}{
		{"history", nil, "h.png", ""},
		{"pareto", nil, "p.svg", "parameters (lower is better)"},
		{"pareto", []string{"--x", "flops", "--y", "value0", "--ref", "1e9,50"}, "p2.svg", "FLOPs (lower is better)"},
		{"importance", []string{"--seed", "3"}, "i.svg", "Parameter importance: demo"},
		{"curves", nil, "c.png", ""},
		{"parallel", nil, "par.svg", "edge_3_2"},
		{"arch", nil, "a.svg", "NAS-Bench-201 cell"},
		{"arch", []string{"--full"}, "af.svg", "cell14/node3"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.file)
		args := append([]string{"plot", "demo", "--db", db, "--kind", c.kind, "--out", path}, c.args...)
		out, errOut, code := morphml(t, args...)
		if code != 0 || !strings.Contains(out, "wrote "+path) {
			t.Errorf("plot %v: code %d\n%s%s", c.args, code, out, errOut)
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			continue
		}
		if strings.HasSuffix(c.file, ".png") {
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil || img.Bounds().Dx() < 300 {
				t.Errorf("%s %v: %v", c.kind, c.args, err)
			}
		} else if !strings.Contains(string(data), c.title) {
			t.Errorf("%s %v: the SVG lacks %q", c.kind, c.args, c.title)
		}
	}
	// Default output name: STUDY-KIND.png in the working directory.
	cmd := cli(t, "plot", "demo", "--db", db)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "wrote demo-history.png") {
		t.Errorf("default --out: %v\n%s", err, out)
	}

	bad := []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "heatmap"}, `unknown kind "heatmap"`},
		{[]string{"--kind", "pareto", "--x", "value1"}, "--x: metric \"value1\""},
		{[]string{"--kind", "pareto", "--ref", "1,2,3"}, "want two numbers"},
		{[]string{"--kind", "pareto", "--ref", "a,2"}, `"a" is not a number`},
		{[]string{"--kind", "importance", "--metric", "loss"}, `unknown metric "loss"`},
		{[]string{"--out", filepath.Join(dir, "x.gif")}, `unknown image format ".gif"`},
		{[]string{"--study-typo"}, "unknown flag"},
	}
	for _, c := range bad {
		args := append([]string{"plot", "demo", "--db", db}, c.args...)
		_, errOut, code := morphml(t, args...)
		if code == 0 || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "goroutine") {
			t.Errorf("plot %v: code %d, stderr %q; want an error with %q", c.args, code, errOut, c.want)
		}
	}
	if _, errOut, code := morphml(t, "plot", "nope", "--db", db); code == 0 || !strings.Contains(errOut, "studies in") {
		t.Errorf("unknown study: code %d, %s", code, errOut)
	}
}

func TestBenchPlot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.svg")
	out, errOut, code := morphml(t, "bench", "nb201", "--runs", "3", "--budget", "20", "-q", "--plot", path)
	if code != 0 || !strings.Contains(out, "wrote "+path) {
		t.Fatalf("bench --plot: code %d\n%s%s", code, out, errOut)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"NAS-Bench-201 cifar10", "evolution (mean ± std)", "random (mean ± std)", "best-validation cell"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("bench plot lacks %q", want)
		}
	}
}
