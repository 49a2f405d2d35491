package gocell

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// ModulePath is the module that cells use.
const ModulePath = "github.com/morphml/morphml"

// EnvSource names the environment variable that points at MorphML's source
// tree (the directory of its go.mod), for a kernel binary that was not
// built from a checkout on this machine.
const EnvSource = "MORPHML_SOURCE"

// FindSource returns the root of MorphML's source tree: $MORPHML_SOURCE, or
// the tree this package was compiled from (the checkout `make build` ran
// in, or the module cache directory of `go install`), or a parent of the
// running executable's directory (bin/morphml in a checkout).
func FindSource() (string, error) {
	if d := os.Getenv(EnvSource); d != "" {
		if err := isSource(d); err != nil {
			return "", fmt.Errorf("$%s: %w", EnvSource, err)
		}
		return filepath.Abs(d)
	}
	var tried []string
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		d := filepath.Dir(filepath.Dir(filepath.Dir(file))) // kernel/gocell/source.go
		if isSource(d) == nil {
			return d, nil
		}
		tried = append(tried, d)
	}
	if exe, err := os.Executable(); err == nil {
		if p, err := filepath.EvalSymlinks(exe); err == nil {
			exe = p
		}
		for d, i := filepath.Dir(exe), 0; i < 3; d, i = filepath.Dir(d), i+1 {
			if isSource(d) == nil {
				return d, nil
			}
			tried = append(tried, d)
		}
	}
	return "", fmt.Errorf("no MorphML source tree found (looked in %s): %%%%go cells build against it; set $%s to a checkout of MorphML",
		strings.Join(tried, ", "), EnvSource)
}

var moduleLine = regexp.MustCompile(`(?m)^module\s+"?([^\s"]+)"?\s*$`)

func isSource(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	if m := moduleLine.FindSubmatch(data); m == nil || string(m[1]) != ModulePath {
		return fmt.Errorf("%s is not the go.mod of %s", filepath.Join(dir, "go.mod"), ModulePath)
	}
	return nil
}

// FindGo returns the go command: $PATH's, or the one of the toolchain the
// kernel was built with.
func FindGo() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if runtime.GOOS == "windows" {
		p += ".exe"
	}
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return "", errors.New("no go command found: %%go cells are compiled by the Go toolchain; install Go (https://go.dev/dl/) and put it on $PATH")
}

// newWorkDir makes the scratch module of a kernel session:
// <user cache>/morphml-kernel/<hash of source>/session-*, whose go.mod is
// MorphML's own (so that it selects the same versions and go.sum applies)
// renamed, with a requirement of MorphML replaced by the source tree.
// Session directories left by kernels that were killed are removed after a
// day.
func newWorkDir(src string) (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	sum := sha256.Sum256([]byte(src))
	base := filepath.Join(cache, "morphml-kernel", hex.EncodeToString(sum[:6]))
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", err
	}
	if old, _ := filepath.Glob(filepath.Join(base, "session-*")); len(old) > 0 {
		for _, d := range old {
			if fi, err := os.Stat(d); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
				os.RemoveAll(d)
			}
		}
	}
	dir, err := os.MkdirTemp(base, "session-")
	if err != nil {
		return "", err
	}
	gomod, err := os.ReadFile(filepath.Join(src, "go.mod"))
	if err != nil {
		return "", err
	}
	mod := moduleLine.ReplaceAllString(string(gomod), "module morphmlcell")
	// relative replacements are relative to the source tree
	mod = regexp.MustCompile(`=>\s*(\.\.?/\S*)`).ReplaceAllStringFunc(mod, func(s string) string {
		rel := strings.TrimSpace(strings.TrimPrefix(s, "=>"))
		return "=> " + filepath.Join(src, rel)
	})
	mod += fmt.Sprintf("\nrequire %s v0.0.0-00010101000000-000000000000\n\nreplace %s => %s\n", ModulePath, ModulePath, src)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		return "", err
	}
	if sum, err := os.ReadFile(filepath.Join(src, "go.sum")); err == nil {
		if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}
