package main

import (
	"strings"
	"testing"
)

func TestBenchNB201MO(t *testing.T) {
	out, errOut, code := morphml(t, "bench", "nb201-mo", "--budget", "30", "--runs", "3", "-q")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, want := range []string{"| nsga2 |", "| random |", "hypervolume (validation)", "oracle"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, errOut, code := morphml(t, "bench", "nb201-mo", "--optimizer", "nope", "--runs", "1", "-q"); code == 0 || !strings.Contains(errOut, "nope") {
		t.Errorf("unknown optimizer: code %d, %s", code, errOut)
	}
}
