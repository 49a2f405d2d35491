package plots

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/search"
)

// -update rewrites the golden images in testdata from the current code.
var update = flag.Bool("update", false, "rewrite the golden PNG files in testdata")

// Golden images are compared with a tolerance: a pixel differs when one of
// its channels is off by more than pixelTol, and at most budget of the
// pixels may differ (font rasterization may move a few pixels between
// library versions; a changed figure moves thousands).
const (
	pixelTol = 40
	budget   = 0.005
)

func goldenFigures(t *testing.T) map[string]*Figure {
	t.Helper()
	one, two := synthInfo(), synthInfo(search.Maximize, search.Minimize)
	trials, trials2 := synthTrials(60, 1, 1), synthTrials(60, 2, 1)
	must := func(f *Figure, err error) *Figure {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	return map[string]*Figure{
		"history":    must(History(one, trials)),
		"pareto":     must(Pareto(two, trials2, ParetoOptions{X: Metric{Objective: 1}, Y: Metric{Objective: 0}})),
		"importance": must(Importance(one, trials, ImportanceOptions{Seed: 1})),
		"cell":       must(Cell("|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|")),
	}
}

func TestGoldenImages(t *testing.T) {
	for name, f := range goldenFigures(t) {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name+".png")
			got := f.PNG()
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./plots -run TestGoldenImages -update to create it)", err)
			}
			n, total, err := pixelDiff(got, want)
			if err != nil {
				t.Fatal(err)
			}
			if float64(n) > budget*float64(total) {
				out := filepath.Join(t.TempDir(), name+".png")
				os.WriteFile(out, got, 0o644)
				t.Errorf("%d of %d pixels differ from %s (budget %.1f%%); the new image is %s", n, total, path, 100*budget, out)
			}
		})
	}
}

// pixelDiff counts the pixels of two PNG images that differ by more than
// pixelTol in a channel; images of different sizes are an error.
func pixelDiff(a, b []byte) (n, total int, err error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 0, 0, err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	if ia.Bounds() != ib.Bounds() {
		return 0, 0, errSize(ia.Bounds(), ib.Bounds())
	}
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := ia.At(x, y).RGBA()
			r2, g2, b2, _ := ib.At(x, y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) {
				n++
			}
		}
	}
	return n, r.Dx() * r.Dy(), nil
}

func far(a, b uint32) bool {
	d := int(a>>8) - int(b>>8)
	return d > pixelTol || d < -pixelTol
}

type sizeError struct{ got, want image.Rectangle }

func errSize(got, want image.Rectangle) error { return sizeError{got, want} }
func (e sizeError) Error() string {
	return "image is " + e.got.Size().String() + ", golden " + e.want.Size().String()
}

func TestPixelDiffCatchesChanges(t *testing.T) {
	f := goldenFigures(t)["history"]
	a := f.PNG()
	if n, _, err := pixelDiff(a, a); err != nil || n != 0 {
		t.Fatalf("an image differs from itself: %d, %v", n, err)
	}
	changed, err := History(synthInfo(search.Minimize), synthTrials(60, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	n, total, err := pixelDiff(a, changed.PNG())
	if err != nil || float64(n) <= budget*float64(total) {
		t.Errorf("another figure passes the golden check: %d of %d pixels differ, %v", n, total, err)
	}
	f.Width /= 2
	if _, _, err := pixelDiff(a, f.PNG()); err == nil || !strings.Contains(err.Error(), "golden") {
		t.Errorf("a smaller image: %v", err)
	}
}

func TestFigureFormats(t *testing.T) {
	f, err := History(synthInfo(), synthTrials(30, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(f.PNG()))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 660 || b.Dy() != 440 {
		t.Errorf("PNG %v, want 660x440 (6x4 in at 110 dpi)", b.Size())
	}
	svg := f.SVG()
	for _, want := range []string{"<svg", "Optimization history: synth", "Arial", "best so far"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	h := f.HTML()
	if !strings.HasPrefix(h, `<img alt="Optimization history: synth (30 trials), 2 failed not shown" width="576" height="384" src="data:image/png;base64,iVBOR`) {
		t.Errorf("HTML %.200s", h)
	}
	dir := t.TempDir()
	cases := []struct {
		name, magic, err string
	}{
		{"h.png", "\x89PNG", ""},
		{"h.SVG", "<?xml", ""},
		{"h.pdf", "", `unknown image format ".pdf"`},
		{"missing/h.png", "", "no such file"},
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.name)
		err := f.Save(path)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Save(%s) = %v, want an error with %q", c.name, err, c.err)
			}
			continue
		}
		data, rerr := os.ReadFile(path)
		if err != nil || rerr != nil || !bytes.HasPrefix(data, []byte(c.magic)) {
			t.Errorf("Save(%s): %v, %v, starts %q", c.name, err, rerr, data[:min(8, len(data))])
		}
	}
}
