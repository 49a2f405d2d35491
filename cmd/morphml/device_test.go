package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/morphml/morphml/core/train"
)

// xlaCPUPlugin returns $MORPHML_XLA_CPU_PLUGIN, or skips the test (fails
// it with MORPHML_XLA_TESTS=require) when it is not set.
func xlaCPUPlugin(t *testing.T) string {
	t.Helper()
	plugin := os.Getenv("MORPHML_XLA_CPU_PLUGIN")
	if plugin == "" {
		if os.Getenv("MORPHML_XLA_TESTS") == "require" {
			t.Fatal("MORPHML_XLA_TESTS=require and MORPHML_XLA_CPU_PLUGIN is not set")
		}
		t.Skip("MORPHML_XLA_CPU_PLUGIN is not set (`make xla-cpu-plugin` installs XLA's CPU plugin)")
	}
	return plugin
}

// TestRunDeviceGPUOnXLAPlugin runs the built-in digits search with
// --device gpu end to end (data on the device, queued steps, compiled
// programs shared by parallel trials) with MORPHML_XLA_PLUGIN naming XLA's
// CPU plugin: the GPU's code path on a machine without one. make test sets
// MORPHML_XLA_CPU_PLUGIN (and MORPHML_XLA_TESTS=require).
func TestRunDeviceGPUOnXLAPlugin(t *testing.T) {
	plugin := xlaCPUPlugin(t)
	t.Setenv("MORPHML_XLA_PLUGIN", plugin)
	dir := t.TempDir()
	db := filepath.Join(dir, "gpu.db")
	out, errOut, code := morphml(t, "run", "--device", "gpu", "--budget", "4", "--db", db, "--study", "xla", "-q")
	if code != 0 {
		t.Fatalf("run --device gpu: code %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "Trials: 4 (4 complete") || !strings.Contains(out, "Trained by: xla on xla:"+plugin) {
		t.Errorf("run output:\n%s", out)
	}
	js, _, code := morphml(t, "export", "xla", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("export: code %d", code)
	}
	var study struct {
		Trials []struct {
			Trial int               `json:"trial"`
			Attrs map[string]string `json:"attrs"`
		} `json:"trials"`
	}
	if err := json.Unmarshal([]byte(js), &study); err != nil {
		t.Fatalf("export json: %v\n%s", err, js)
	}
	if len(study.Trials) != 4 {
		t.Fatalf("%d trials exported, want 4", len(study.Trials))
	}
	for _, tr := range study.Trials {
		if eng := tr.Attrs[train.AttrEngine]; !strings.HasPrefix(eng, "xla on xla:") {
			t.Errorf("trial %d: engine %q", tr.Trial, eng)
		}
		acc, err := strconv.ParseFloat(tr.Attrs[train.AttrTestAcc], 64)
		if err != nil || acc < 50 {
			t.Errorf("trial %d: test accuracy %q (digits: well above 50 %% after a few epochs)", tr.Trial, tr.Attrs[train.AttrTestAcc])
		}
		if first, err := strconv.ParseFloat(tr.Attrs[train.AttrFirstStep], 64); err != nil || first <= 0 {
			t.Errorf("trial %d: first_step_s %q", tr.Trial, tr.Attrs[train.AttrFirstStep])
		}
	}
}

// TestRunDeviceGPUBadPlugin: a plugin path that is not there fails before
// any trial, naming the variable and the path.
func TestRunDeviceGPUBadPlugin(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no_such_plugin.so")
	t.Setenv("MORPHML_XLA_PLUGIN", missing)
	db := filepath.Join(t.TempDir(), "bad.db")
	out, errOut, code := morphml(t, "run", "--device", "gpu", "--budget", "2", "--db", db, "-q")
	if code == 0 || !strings.Contains(errOut, "MORPHML_XLA_PLUGIN") || !strings.Contains(errOut, missing) {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if strings.Contains(out, "Trials:") {
		t.Errorf("trials ran without an engine:\n%s", out)
	}
}
