package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/space/morph"
)

// nb201Example is the NAS-Bench-201 example: a search of 100 table lookups.
const nb201Example = "../../examples/nb201.morph"

// TestMain lets tests run the real command line as a child process: with
// MORPHML_AS_CLI=1 the test binary is morphml.
func TestMain(m *testing.M) {
	if os.Getenv("MORPHML_AS_CLI") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// cli returns the command that runs morphml with args in a child process.
func cli(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "MORPHML_AS_CLI=1")
	return cmd
}

// morphml runs the command line in-process and returns its output and code.
func morphml(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := cli(t, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code == -1 {
		t.Fatalf("morphml %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunDefaultShowExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	out, errOut, code := morphml(t, "run", nb201Example, "--db", db, "--study", "demo", "-q")
	if code != 0 {
		t.Fatalf("run: code %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{`Study "demo": optimizer evolution`, "Trials: 100 (100 complete", "Best: trial", "Cell: |"} {
		if !strings.Contains(out, want) {
			t.Errorf("run output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = morphml(t, "show", "demo", "--db", db)
	if code != 0 || !strings.Contains(out, "RANK") {
		t.Fatalf("show: %d\n%s", code, out)
	}
	out, _, code = morphml(t, "export", "demo", "--db", db, "--format", "csv")
	if lines := strings.Count(out, "\n"); code != 0 || lines != 101 {
		t.Fatalf("export csv: code %d, %d lines", code, lines)
	}
	out, _, code = morphml(t, "export", "demo", "--db", db, "--format", "json")
	if code != 0 || !strings.Contains(out, `"study": "demo"`) {
		t.Fatalf("export json: code %d\n%.300s", code, out)
	}
	// Running the same study name again without --resume is refused.
	_, errOut, code = morphml(t, "run", nb201Example, "--db", db, "--study", "demo", "-q")
	if code == 0 || !strings.Contains(errOut, "exists already") {
		t.Fatalf("second run: code %d, %s", code, errOut)
	}
}

func TestDefaultExperimentIsDigits(t *testing.T) {
	f, err := loadExperiment(nil, false, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Evaluate == nil || f.Evaluate.Kind != morph.KindTrain || f.Evaluate.Dataset != "digits" || f.Space.Name != "digits" {
		t.Fatalf("default experiment: space %q, evaluate %+v", f.Space.Name, f.Evaluate)
	}
}

func TestUserErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.morph", "SearchSpace(name=\"x\", cell=Cell.nb201())\nSearch(optimizer=\"evolutoin\")\n")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", filepath.Join(dir, "missing.morph")}, "missing.morph"},
		{[]string{"run", bad, "--db", filepath.Join(dir, "x.db")}, `did you mean "evolution"`},
		{[]string{"show", "nope", "--db", filepath.Join(dir, "none.db")}, "no study database"},
		{[]string{"bench", "nb201", "--optimizer", "nope", "-q"}, "unknown optimizer"},
		{[]string{"bench", "nb201", "--dataset", "mnist", "--runs", "1", "-q"}, "cifar10"},
		{[]string{"bench", "nb201", "--set", "population_size=abc", "--runs", "1", "-q"}, "not a number"},
	}
	for _, c := range cases {
		_, errOut, code := morphml(t, c.args...)
		if code == 0 || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "goroutine") {
			t.Errorf("morphml %v: code %d, stderr %q; want an error mentioning %q", c.args, code, errOut, c.want)
		}
	}
}
