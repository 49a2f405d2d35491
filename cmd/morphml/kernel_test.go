package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestKernelInstall(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := morphml(t, "kernel", "install", "--prefix", dir)
	if code != 0 {
		t.Fatalf("kernel install: exit %d: %s", code, errs)
	}
	specDir := filepath.Join(dir, "share", "jupyter", "kernels", kernelName)
	if !strings.Contains(out, specDir) {
		t.Errorf("output %q does not name %s", out, specDir)
	}
	data, err := os.ReadFile(filepath.Join(specDir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec kernelSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.DisplayName != "Go (MorphML)" || spec.Language != "go" || spec.InterruptMode != "message" ||
		len(spec.Argv) != 4 || !filepath.IsAbs(spec.Argv[0]) || spec.Argv[3] != "{connection_file}" {
		t.Errorf("kernel.json: %s", data)
	}
	for _, logo := range []string{"logo-32x32.png", "logo-64x64.png"} {
		if b, err := os.ReadFile(filepath.Join(specDir, logo)); err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
			t.Errorf("%s: %v", logo, err)
		}
	}
	if _, errs, code := morphml(t, "kernel", "install", "--user", "--prefix", dir); code == 0 {
		t.Errorf("--user with --prefix: exit 0, want an error (%s)", errs)
	}
	if _, errs, code := morphml(t, "kernel"); code == 0 || !strings.Contains(errs, "connection-file") {
		t.Errorf("kernel without a connection file: exit %d, %s", code, errs)
	}
}

func TestKernelsDir(t *testing.T) {
	t.Setenv("VIRTUAL_ENV", "/venv")
	t.Setenv("JUPYTER_DATA_DIR", "/data")
	for _, tc := range []struct {
		sys    bool
		prefix string
		want   string
	}{
		{false, "", "/data/kernels"},
		{true, "", "/venv/share/jupyter/kernels"},
		{false, "/p", "/p/share/jupyter/kernels"},
	} {
		got, err := kernelsDir(tc.sys, tc.prefix)
		if err != nil || got != filepath.FromSlash(tc.want) {
			t.Errorf("kernelsDir(%v, %q) = %q, %v; want %q", tc.sys, tc.prefix, got, err, tc.want)
		}
	}
}

// jupyterEnv is a Python with jupyter_kernel_test and jupyter_client, and the
// kernel built from this source and installed into a temporary JUPYTER_PATH.
type jupyterEnv struct {
	python      string
	jupyterPath string
	kernelName  string
	err         string
}

var (
	jupyterOnce sync.Once
	jupyterSet  jupyterEnv
)

// kernelJupyter prepares (once per test binary) what the Jupyter tests
// need, or skips: a virtualenv under the user cache directory
// (MORPHML_KERNEL_PYTHON names a ready Python instead), and the morphml
// binary built into a temporary directory. MORPHML_KERNEL_TESTS=require
// turns a skip into a failure (for CI).
func kernelJupyter(t *testing.T) jupyterEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the kernel and runs Jupyter's client")
	}
	jupyterOnce.Do(func() { jupyterSet = setUpJupyter() })
	if jupyterSet.err != "" {
		if os.Getenv("MORPHML_KERNEL_TESTS") == "require" {
			t.Fatal(jupyterSet.err)
		}
		t.Skip(jupyterSet.err)
	}
	return jupyterSet
}

func setUpJupyter() jupyterEnv {
	python := os.Getenv("MORPHML_KERNEL_PYTHON")
	if python == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			cache = os.TempDir()
		}
		venv := filepath.Join(cache, "morphml-kernel-test-venv")
		python = filepath.Join(venv, "bin", "python")
		if runtime.GOOS == "windows" {
			python = filepath.Join(venv, "Scripts", "python.exe")
		}
		if exec.Command(python, "-c", "import jupyter_kernel_test, jupyter_client").Run() != nil {
			sys, err := exec.LookPath("python3")
			if err != nil {
				return jupyterEnv{err: "no python3 to make a virtualenv for jupyter_kernel_test"}
			}
			if out, err := exec.Command(sys, "-m", "venv", venv).CombinedOutput(); err != nil {
				return jupyterEnv{err: "python3 -m venv failed (install python3-venv): " + string(out)}
			}
			pip := exec.Command(python, "-m", "pip", "install", "-q", "jupyter_kernel_test==0.7.0", "jupyter_client>=8", "nbclient", "nbformat")
			if out, err := pip.CombinedOutput(); err != nil {
				return jupyterEnv{err: "pip install jupyter_kernel_test failed: " + string(out)}
			}
		}
	}
	dir, err := os.MkdirTemp("", "morphml-kernel-test")
	if err != nil {
		return jupyterEnv{err: err.Error()}
	}
	bin := filepath.Join(dir, "morphml")
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return jupyterEnv{err: "go build: " + string(out)}
	}
	const name = "morphml-go-test"
	prefix := filepath.Join(dir, "prefix")
	if out, err := exec.Command(bin, "kernel", "install", "--prefix", prefix, "--name", name).CombinedOutput(); err != nil {
		return jupyterEnv{err: "kernel install: " + string(out)}
	}
	return jupyterEnv{python: python, jupyterPath: filepath.Join(prefix, "share", "jupyter"), kernelName: name}
}

// runPython runs a script of kernel/testdata against the installed kernel.
func (j jupyterEnv) runPython(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(j.python, args...)
	cmd.Dir = filepath.Join("..", "..", "kernel", "testdata")
	cmd.Env = append(os.Environ(), "JUPYTER_PATH="+j.jupyterPath, "MORPHML_KERNEL_NAME="+j.kernelName,
		"JUPYTER_PLATFORM_DIRS=1", "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestKernelJupyterSuite runs jupyter_kernel_test's whole suite (every test
// has samples) against the kernel as Jupyter starts it.
func TestKernelJupyterSuite(t *testing.T) {
	j := kernelJupyter(t)
	out := j.runPython(t, "-m", "unittest", "-v", "test_kernel")
	if strings.Contains(out, "skipped") {
		t.Errorf("a jupyter_kernel_test test was skipped:\n%s", out)
	}
	t.Logf("\n%s", out)
}

// TestKernelInterrupt interrupts an endless loop, a running NAS-Bench-201
// search (whose finished trials must be kept), a compiled sleep and a
// sleeping %%go program: each time the kernel must answer within 2 s. It
// also runs %%go cells (generics, range over an int, a compile error that
// names the cell's line) and prints the timings (scripts/kernel_bench runs
// the same script with more rounds).
func TestKernelInterrupt(t *testing.T) {
	j := kernelJupyter(t)
	t.Setenv("MORPHML_BENCH_ROUNDS", "50")
	out := j.runPython(t, "interrupt_bench.py")
	t.Logf("%s", out)
}

// TestKernelNotebooks executes notebooks/go/*.ipynb through nbclient and
// checks their outputs (the study's table, PNG and SVG figures, the live
// progress of the digits search, the output of a %%go cell).
func TestKernelNotebooks(t *testing.T) {
	j := kernelJupyter(t)
	t.Logf("%s", j.runPython(t, "run_notebooks.py"))
}

// TestKernelNotebookOnXLAPlugin executes notebooks/go/gpu.ipynb with
// MORPHML_XLA_PLUGIN naming XLA's CPU plugin: the notebook's xla.Auto
// engine then trains on a PJRT plugin, as on a GPU.
func TestKernelNotebookOnXLAPlugin(t *testing.T) {
	plugin := xlaCPUPlugin(t)
	j := kernelJupyter(t)
	t.Setenv("MORPHML_XLA_PLUGIN", plugin)
	t.Setenv("MORPHML_NOTEBOOKS", "gpu.ipynb")
	t.Logf("%s", j.runPython(t, "run_notebooks.py"))
}
