package xla

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	gxla "github.com/gomlx/gomlx/backends/xla"
)

// Device says where networks train.
type Device string

// Devices known to Engine.Device and ParseDevice.
const (
	// CPU trains on GoMLX's pure-Go backend, or on an XLA CPU plugin when
	// Engine.Plugin (or $MORPHML_XLA_CPU_PLUGIN) names one.
	CPU Device = "cpu"
	// GPU trains on the XLA CUDA PJRT plugin; Build fails with an error
	// that says where it looked when there is none.
	GPU Device = "gpu"
	// Auto is GPU when a CUDA plugin is found and loads, else CPU.
	Auto Device = "auto"
)

// ParseDevice reads "cpu", "gpu" or "auto" (any case; "" is auto).
func ParseDevice(s string) (Device, error) {
	switch d := Device(strings.ToLower(strings.TrimSpace(s))); d {
	case "":
		return Auto, nil
	case CPU, GPU, Auto:
		return d, nil
	}
	return "", fmt.Errorf("unknown device %q (known: cpu, gpu, auto)", s)
}

// PluginEnv is the environment variable that names the CUDA PJRT plugin
// (a path to a .so file) to use, before any search.
const PluginEnv = "MORPHML_XLA_PLUGIN"

// CPUPluginEnv is the environment variable that names an XLA CPU PJRT
// plugin for Device CPU, before any search (see FindCPUPlugin).
const CPUPluginEnv = "MORPHML_XLA_CPU_PLUGIN"

// PluginNotFoundError says that no PJRT plugin was found for a device, and
// where the search looked.
type PluginNotFoundError struct {
	Device Device   // GPU (the CUDA plugin) or CPU (an XLA CPU plugin)
	Looked []string // the places searched, in order
}

func (e *PluginNotFoundError) Error() string {
	if e.Device == CPU {
		return fmt.Sprintf("xla: no XLA CPU PJRT plugin found; looked at $%s (unset) and %s; "+
			"install one with `pip install %s` (XLA's CPU plugin, built by zml/pjrt-artifacts) or set %s to the path of a libpjrt_cpu.so",
			CPUPluginEnv, strings.Join(e.Looked, ", "), CPUPluginPackage, CPUPluginEnv)
	}
	return fmt.Sprintf("xla: no CUDA PJRT plugin found; looked at $%s (unset) and %s; "+
		"install one with `pip install jax-cuda13-pjrt` (or jax-cuda12-pjrt) or set %s to the path of xla_cuda_plugin.so",
		PluginEnv, strings.Join(e.Looked, ", "), PluginEnv)
}

// pluginGlobs are the CUDA plugins of the jax-cuda*-pjrt pip packages,
// relative to a site-packages folder, newest CUDA first.
var pluginGlobs = []string{
	"jax_plugins/xla_cuda13/xla_cuda_plugin.so",
	"jax_plugins/xla_cuda12/xla_cuda_plugin.so",
	"jax_plugins/xla_cuda*/xla_cuda_plugin.so",
}

// PureGo as Engine.Plugin picks GoMLX's pure-Go backend for Device CPU,
// whatever $MORPHML_XLA_CPU_PLUGIN says.
const PureGo = "go"

// CPUPluginPackage is the pip package FindCPUPlugin looks for: it ships
// XLA's CPU PJRT plugin unmodified (the pjrt-cpu_linux-amd64 build of
// github.com/zml/pjrt-artifacts), for Linux on x86-64.
const CPUPluginPackage = "fastatomstruct-xla-cpu"

// cpuPluginGlobs are the CPU plugin of CPUPluginPackage, relative to a
// site-packages folder (or a `pip install --target` folder).
var cpuPluginGlobs = []string{"fastatomstruct_xla_cpu/libpjrt_cpu.so"}

// FindCUDAPlugin returns the path of a CUDA PJRT plugin: $MORPHML_XLA_PLUGIN
// when set (it must exist), else the plugin of an installed
// jax-cuda*-pjrt package in the site-packages folders of python3 (and of
// $VIRTUAL_ENV, $CONDA_PREFIX, ~/.local and the system Pythons). The error
// is a *PluginNotFoundError naming every place searched.
func FindCUDAPlugin() (string, error) { return findPlugin(GPU, PluginEnv, pluginGlobs) }

// FindCPUPlugin returns the path of an XLA CPU PJRT plugin:
// $MORPHML_XLA_CPU_PLUGIN when set (it must exist), else the plugin of an
// installed CPUPluginPackage, searched as FindCUDAPlugin does. Device CPU
// uses it only when asked (Engine.Plugin or $MORPHML_XLA_CPU_PLUGIN): it
// runs the native lowering, the same programs as on a GPU, which is what
// tests and benchmarks without a GPU want.
func FindCPUPlugin() (string, error) { return findPlugin(CPU, CPUPluginEnv, cpuPluginGlobs) }

func findPlugin(d Device, env string, globs []string) (string, error) {
	if p := os.Getenv(env); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("xla: $%s=%q: %w", env, p, err)
		}
		return p, nil
	}
	dirs := sitePackages()
	looked := make([]string, 0, len(dirs))
	for _, dir := range dirs {
		for _, g := range globs {
			m, _ := filepath.Glob(filepath.Join(dir, g))
			sort.Strings(m)
			if len(m) > 0 {
				return m[len(m)-1], nil
			}
		}
		looked = append(looked, filepath.Join(dir, globs[len(globs)-1]))
	}
	if len(looked) == 0 {
		looked = append(looked, "site-packages (no python3 found)")
	}
	return "", &PluginNotFoundError{Device: d, Looked: looked}
}

var (
	siteOnce sync.Once
	siteDirs []string
)

// sitePackages lists the folders where pip may have put a package: those
// python3 reports, then the usual places, without duplicates.
func sitePackages() []string {
	siteOnce.Do(func() {
		seen := map[string]bool{}
		add := func(ds ...string) {
			for _, d := range ds {
				d = filepath.Clean(d)
				if d == "" || seen[d] {
					continue
				}
				if fi, err := os.Stat(d); err == nil && fi.IsDir() {
					seen[d] = true
					siteDirs = append(siteDirs, d)
				}
			}
		}
		for _, py := range []string{"python3", "python"} {
			if _, err := exec.LookPath(py); err != nil {
				continue
			}
			out, err := runTimeout(5*time.Second, py, "-c",
				"import site,sys\nfor p in site.getsitepackages()+[site.getusersitepackages()]+sys.path: print(p)")
			if err == nil {
				add(strings.Fields(out)...)
			}
		}
		var globs []string
		for _, env := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
			if p := os.Getenv(env); p != "" {
				globs = append(globs, filepath.Join(p, "lib/python3*/site-packages"))
			}
		}
		if home, err := os.UserHomeDir(); err == nil {
			globs = append(globs, filepath.Join(home, ".local/lib/python3*/site-packages"))
		}
		globs = append(globs, "/usr/local/lib/python3*/dist-packages", "/usr/local/lib/python3*/site-packages",
			"/usr/lib/python3/dist-packages", "/usr/lib/python3*/site-packages")
		for _, g := range globs {
			m, _ := filepath.Glob(g)
			add(m...)
		}
	})
	return siteDirs
}

func runTimeout(d time.Duration, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Stderr = nil
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.Output(); close(done) }()
	select {
	case <-done:
		return string(out), err
	case <-time.After(d):
		if cmd.Process != nil {
			_ = cmd.Process.Kill()
		}
		<-done
		return "", errors.New("timed out")
	}
}

// backend is a GoMLX backend shared by every network on it.
type backend struct {
	b      backends.Backend
	key    string // "go" or "xla:<plugin path>"
	device Device // CPU or GPU
}

var (
	backendsMu sync.Mutex
	opened     = map[string]*backend{}
	goBackend  *backend
)

// openBackend returns the backend for the device: the PJRT plugin (given,
// from $MORPHML_XLA_PLUGIN, or found) for GPU, the pure-Go backend (or the
// CPU plugin given or named by $MORPHML_XLA_CPU_PLUGIN) for CPU; Auto
// tries GPU and falls back to CPU.
// Backends are opened once per process and shared.
func openBackend(d Device, plugin string) (*backend, error) {
	switch d {
	case "", Auto:
		if b, err := openBackend(GPU, plugin); err == nil {
			return b, nil
		}
		return openBackend(CPU, "")
	case CPU:
		if plugin == "" {
			plugin = os.Getenv(CPUPluginEnv)
		}
		if plugin == "" || plugin == PureGo {
			backendsMu.Lock()
			defer backendsMu.Unlock()
			if goBackend == nil {
				// ops_sequential: v0.26.0 deadlocks when several
				// DotGenerals run at once (each waits for pool workers
				// that the others hold); one op at a time, each op still
				// parallel inside.
				b, err := simplego.New("ops_sequential")
				if err != nil {
					return nil, fmt.Errorf("xla: open the pure-Go backend: %w", err)
				}
				goBackend = &backend{b: b, key: simplego.BackendName, device: CPU}
			}
			return goBackend, nil
		}
		return openPlugin(plugin, CPU)
	case GPU:
		if plugin == "" {
			p, err := FindCUDAPlugin()
			if err != nil {
				return nil, err
			}
			plugin = p
		}
		return openPlugin(plugin, GPU)
	}
	return nil, fmt.Errorf("xla: unknown device %q (known: cpu, gpu, auto)", d)
}

// openPlugin loads a PJRT plugin by path, with downloads switched off.
func openPlugin(path string, d Device) (*backend, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("xla: plugin %q: %w", path, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("xla: plugin %q: %w", path, err)
	}
	backendsMu.Lock()
	defer backendsMu.Unlock()
	key := gxla.BackendName + ":" + abs
	if b, ok := opened[key]; ok {
		return b, nil
	}
	// Never download plugins (GOMLX_NO_AUTO_INSTALL=1 is read at init, so
	// switch auto-install off directly too), and skip go-xla's checks for
	// the CUDA pip packages: the jax plugin finds its own libraries.
	gxla.EnableAutoInstall(false)
	setDefaultEnv("GOMLX_NO_AUTO_INSTALL", "1")
	setDefaultEnv("GOPJRT_CUDA_CHECKS", "0")
	b, err := newPlugin(abs)
	if err != nil {
		return nil, fmt.Errorf("xla: load the PJRT plugin %s: %w", abs, err)
	}
	be := &backend{b: b, key: key, device: d}
	opened[key] = be
	return be, nil
}

// newPlugin creates the XLA backend, turning a panic into an error.
func newPlugin(abs string) (b backends.Backend, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return gxla.NewWithOptions(abs, nil)
}

func setDefaultEnv(k, v string) {
	if _, ok := os.LookupEnv(k); !ok {
		_ = os.Setenv(k, v)
	}
}
