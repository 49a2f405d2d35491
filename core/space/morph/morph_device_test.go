package morph

import (
	"strings"
	"testing"
)

func TestSearchDevice(t *testing.T) {
	src := "SearchSpace(name=\"x\", cell=Cell.nb201())\n"
	for in, want := range map[string]string{"": "cpu", `device="GPU"`: "gpu", `device="auto"`: "auto"} {
		f, err := Parse("d.morph", []byte(src+"Search("+in+")\n"))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if f.Search.Device != want {
			t.Errorf("%s: device %q, want %q", in, f.Search.Device, want)
		}
	}
	_, err := Parse("d.morph", []byte(src+"Search(device=\"gpus\")\n"))
	if err == nil || !strings.Contains(err.Error(), `did you mean "gpu"`) || !strings.Contains(err.Error(), "d.morph:2:15") {
		t.Fatalf("a misspelt device: %v", err)
	}
}
