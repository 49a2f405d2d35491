//go:debug gotypesalias=0

// The line above is needed by gomacro, the Go interpreter of the notebook
// kernel (see kernel/interp); Go 1.27 removed the setting, so morphml builds
// with Go 1.26.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/morphml/morphml/kernel"
	"github.com/morphml/morphml/kernel/gocell"
	"github.com/morphml/morphml/kernel/interp"
	"github.com/morphml/morphml/kernel/wire"
)

// kernelName is the directory name of the kernelspec.
const kernelName = "morphml-go"

func newKernelCmd() *cobra.Command {
	var connFile string
	cmd := &cobra.Command{
		Use:   "kernel [--connection-file FILE]",
		Short: "Run the Jupyter kernel for Go with MorphML (started by Jupyter)",
		Long: `Run the Jupyter notebook kernel: Go cells interpreted by gomacro, with
MorphML's packages ready to import; cells that start with %%go are compiled
by the Go toolchain against MorphML's source ($MORPHML_SOURCE). Jupyter starts it with a connection
file; run 'morphml kernel install' once to make it known to Jupyter.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if connFile == "" && len(args) == 1 {
				connFile = args[0]
			}
			if connFile == "" {
				return errors.New("kernel: --connection-file is required (Jupyter passes it; to install the kernel run 'morphml kernel install')")
			}
			return runKernel(cmd.Context(), connFile)
		},
	}
	cmd.Flags().StringVarP(&connFile, "connection-file", "f", "", "the connection file Jupyter writes")
	cmd.AddCommand(newKernelInstallCmd())
	return cmd
}

func runKernel(parent context.Context, connFile string) error {
	ci, err := wire.ReadConnectionFile(connFile)
	if err != nil {
		return err
	}
	// The kernel outlives SIGINT (it interrupts the running cell, as
	// ipykernel does); SIGTERM and shutdown_request stop it.
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	defer cancel()
	socks, err := wire.Listen(ctx, ci)
	if err != nil {
		return err
	}
	defer socks.Close()
	in := interp.New()
	k := kernel.New(kernel.Config{
		// cells are interpreted; %%go cells are compiled by the Go toolchain
		Executor: &kernel.Router{Default: in, Magics: map[string]kernel.Executor{
			"go": gocell.New(gocell.Config{Names: in}),
		}},
		Implementation: "morphml",
		Version:        "0.1",
		Banner:         "Go (MorphML): Go cells run by the gomacro interpreter, %%go cells compiled by the Go toolchain; MorphML's packages can be imported.",
		Language: kernel.LanguageInfo{Name: "go", Version: runtime.Version(), MIMEType: "text/x-go",
			FileExtension: ".go", PygmentsLexer: "go", CodeMirrorMode: "go", NBConvertExporter: "script"},
		HelpLinks: []kernel.HelpLink{
			{Text: "Go", URL: "https://go.dev/doc/"},
			{Text: "gomacro", URL: "https://github.com/cosmos72/gomacro"},
		},
		CaptureStdio: true,
		Log:          os.Stderr,
	})
	sig := make(chan os.Signal, 4)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		for s := range sig {
			if s == os.Interrupt {
				k.Interrupt()
				continue
			}
			cancel()
			return
		}
	}()
	return k.Serve(ctx, socks)
}

// kernelSpec is the kernel.json Jupyter reads.
type kernelSpec struct {
	Argv          []string       `json:"argv"`
	DisplayName   string         `json:"display_name"`
	Language      string         `json:"language"`
	InterruptMode string         `json:"interrupt_mode"`
	Env           map[string]any `json:"env,omitempty"`
	Metadata      map[string]any `json:"metadata,omitempty"`
}

func newKernelInstallCmd() *cobra.Command {
	var user, sysPrefix bool
	var prefix, name, displayName string
	cmd := &cobra.Command{
		Use:   "install [--user|--sys-prefix|--prefix DIR]",
		Short: "Install the kernelspec so that Jupyter offers \"Go (MorphML)\"",
		Long: `Write the kernelspec (kernel.json and logos) of the Go notebook kernel into a
Jupyter kernels directory. Its command is this morphml executable.

  --user         the user's Jupyter data directory (the default)
  --sys-prefix   the active Python environment ($VIRTUAL_ENV or $CONDA_PREFIX)
  --prefix DIR   DIR/share/jupyter/kernels`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			n := 0
			for _, b := range []bool{user, sysPrefix, prefix != ""} {
				if b {
					n++
				}
			}
			if n > 1 {
				return errors.New("kernel install: use only one of --user, --sys-prefix and --prefix")
			}
			dir, err := kernelsDir(sysPrefix, prefix)
			if err != nil {
				return err
			}
			exe, err := os.Executable()
			if err != nil {
				return fmt.Errorf("kernel install: %w", err)
			}
			if p, err := filepath.EvalSymlinks(exe); err == nil {
				exe = p
			}
			path, err := installKernelSpec(filepath.Join(dir, name), exe, displayName)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Installed the kernelspec %s in %s\n", name, path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&user, "user", false, "install for the current user (default)")
	cmd.Flags().BoolVar(&sysPrefix, "sys-prefix", false, "install into the active Python environment")
	cmd.Flags().StringVar(&prefix, "prefix", "", "install into `DIR`/share/jupyter/kernels")
	cmd.Flags().StringVar(&name, "name", kernelName, "kernelspec name")
	cmd.Flags().StringVar(&displayName, "display-name", "Go (MorphML)", "name shown by Jupyter")
	return cmd
}

// kernelsDir is the Jupyter kernels directory for the install flags.
func kernelsDir(sysPrefix bool, prefix string) (string, error) {
	switch {
	case prefix != "":
		return filepath.Join(prefix, "share", "jupyter", "kernels"), nil
	case sysPrefix:
		for _, env := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
			if p := os.Getenv(env); p != "" {
				return filepath.Join(p, "share", "jupyter", "kernels"), nil
			}
		}
		return "", errors.New("kernel install --sys-prefix: no Python environment is active ($VIRTUAL_ENV and $CONDA_PREFIX are empty); use --user or --prefix")
	}
	return filepath.Join(jupyterDataDir(), "kernels"), nil
}

// jupyterDataDir is Jupyter's user data directory (jupyter --data-dir).
func jupyterDataDir() string {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter")
	case "windows":
		if a := os.Getenv("APPDATA"); a != "" {
			return filepath.Join(a, "jupyter")
		}
		return filepath.Join(home, "AppData", "Roaming", "jupyter")
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter")
	}
	return filepath.Join(home, ".local", "share", "jupyter")
}

// installKernelSpec writes kernel.json and the logos into dir.
func installKernelSpec(dir, exe, displayName string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernel install: %w", err)
	}
	spec := kernelSpec{
		Argv:          []string{exe, "kernel", "--connection-file", "{connection_file}"},
		DisplayName:   displayName,
		Language:      "go",
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}
	data, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(data, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("kernel install: %w", err)
	}
	for _, size := range []int{32, 64} {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size)), logo(size), 0o644); err != nil {
			return "", fmt.Errorf("kernel install: %w", err)
		}
	}
	return dir, nil
}

// logo draws the kernel's logo: a node graph (three dots joined to a fourth)
// on Go's blue.
func logo(size int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{0x00, 0xAD, 0xD8, 0xFF}
	white := color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	s := float64(size)
	nodes := [][2]float64{{0.25, 0.3}, {0.25, 0.7}, {0.75, 0.5}, {0.5, 0.5}}
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := (float64(x)+0.5)/s, (float64(y)+0.5)/s
			c := color.NRGBA{}
			if (fx-0.5)*(fx-0.5)+(fy-0.5)*(fy-0.5) < 0.25 {
				c = blue
			}
			for _, n := range nodes {
				if (fx-n[0])*(fx-n[0])+(fy-n[1])*(fy-n[1]) < 0.006 {
					c = white
				}
			}
			for _, n := range nodes[:3] {
				if onSegment(fx, fy, n, nodes[3], 0.025) {
					c = white
				}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func onSegment(x, y float64, a, b [2]float64, width float64) bool {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := ((x-a[0])*dx + (y-a[1])*dy) / (dx*dx + dy*dy)
	if t < 0 || t > 1 {
		return false
	}
	px, py := a[0]+t*dx-x, a[1]+t*dy-y
	return px*px+py*py < width*width
}
