package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/morphml/morphml/core/graph"
	"github.com/morphml/morphml/core/results"
	"github.com/morphml/morphml/core/results/parquetfile"
	"github.com/morphml/morphml/core/search"
	"github.com/morphml/morphml/core/space"
)

// exportFormats are the formats of morphml export; the binary ones need a file.
var exportFormats = map[string]bool{"csv": false, "json": false, "arrow": true, "parquet": true}

func newExportCmd() *cobra.Command {
	var db, format, out string
	var curves bool
	cmd := &cobra.Command{
		Use:   "export STUDY",
		Short: "Export a study's trials as CSV, JSON, Arrow or Parquet",
		Long: `Export every trial of a study, one row per trial: state, parameters, values,
architecture hash, parameter and FLOP counts, times, worker, errors.

  csv       text, one column per parameter and objective
  json      the trials with their architecture and intermediate values
  arrow     an Arrow IPC file (Feather v2): pandas.read_feather, polars.read_ipc
  parquet   a Parquet file: pandas.read_parquet, polars, DuckDB

Arrow and Parquet keep the types (categorical parameters as categories,
timestamps in UTC) and the study's settings in the schema metadata; they need
-o FILE (or -o - into a pipe). --curves exports the intermediate values
instead (trial, step, value). Without --format, the extension of -o picks it.`,
		Example: `  morphml export first -o first.parquet
  morphml export first --format csv
  morphml export first --curves -o curves.arrow`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") {
				if f := formatOfPath(out); f != "" {
					format = f
				}
			}
			binary, ok := exportFormats[format]
			if !ok {
				return fmt.Errorf("unknown export format %q (want csv, json, arrow or parquet)", format)
			}
			stdout := cmd.OutOrStdout()
			if binary {
				if err := checkBinaryTarget(format, out, cmd.Flags().Changed("out"), isTerminal(stdout)); err != nil {
					return err
				}
			}
			info, trials, err := loadStudy(db, args[0])
			if err != nil {
				return err
			}
			write := func(w io.Writer) error { return export(w, format, curves, info, trials) }
			if out == "" || out == "-" {
				return write(stdout)
			}
			return writeFileAtomic(out, write)
		},
	}
	cmd.Flags().StringVar(&db, "db", defaultDB, "study database (SQLite file)")
	cmd.Flags().StringVar(&format, "format", "csv", "csv, json, arrow or parquet (default: from the extension of -o, else csv)")
	cmd.Flags().StringVarP(&out, "out", "o", "-", "output file (- for standard output)")
	cmd.Flags().BoolVar(&curves, "curves", false, "export the intermediate values (trial, step, value) instead of the trials")
	return cmd
}

// formatOfPath is the export format a file name asks for, or "".
func formatOfPath(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "csv"
	case ".json":
		return "json"
	case ".arrow", ".feather", ".ipc":
		return "arrow"
	case ".parquet", ".pq":
		return "parquet"
	}
	return ""
}

// checkBinaryTarget refuses to write a binary format where it cannot go: to
// standard output without an explicit "-o -", or to a terminal.
func checkBinaryTarget(format, out string, outGiven, stdoutTerminal bool) error {
	toStdout := out == "" || out == "-"
	switch {
	case toStdout && !outGiven:
		return fmt.Errorf("--format %s writes a binary file: give -o FILE (or -o - to pipe it)", format)
	case toStdout && stdoutTerminal:
		return fmt.Errorf("refusing to write binary %s to a terminal: give -o FILE, or pipe the output", format)
	}
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// writeFileAtomic writes through a temporary file in the same folder, renamed
// to path once complete: a failed export leaves no partial file behind.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing to remove
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export: %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

func export(w io.Writer, format string, curves bool, info search.StudyInfo, trials []search.Trial) error {
	switch format {
	case "csv":
		if curves {
			return exportCurvesCSV(w, trials)
		}
		return exportCSV(w, info, trials)
	case "json":
		if curves {
			return exportCurvesJSON(w, info, trials)
		}
		return exportJSON(w, info, trials)
	}
	var rec arrow.RecordBatch
	var err error
	if curves {
		rec, err = results.Curves(info, trials, nil)
	} else {
		rec, err = results.Trials(info, trials, nil)
	}
	if err != nil {
		return err
	}
	defer rec.Release()
	if format == "arrow" {
		return results.WriteIPC(w, rec)
	}
	return parquetfile.Write(w, rec)
}

func exportCSV(w io.Writer, info search.StudyInfo, trials []search.Trial) error {
	cw := csv.NewWriter(w)
	header := []string{"trial", "state"}
	for i := range info.Directions {
		header = append(header, fmt.Sprintf("value_%d", i))
	}
	for _, p := range info.Params {
		header = append(header, "param_"+p.Name)
	}
	header = append(header, "arch_hash", "started", "finished", "duration_s", "error")
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, t := range trials {
		row := []string{strconv.Itoa(t.ID), t.State.String()}
		for i := range info.Directions {
			v := ""
			if x := t.Value(i); !math.IsNaN(x) {
				v = strconv.FormatFloat(x, 'g', -1, 64)
			}
			row = append(row, v)
		}
		for i, p := range info.Params {
			v := ""
			if i < len(t.Params) {
				v = p.Format(t.Params[i])
			}
			row = append(row, v)
		}
		row = append(row, t.ArchHash, formatTime(t.Started), formatTime(t.Finished),
			strconv.FormatFloat(t.Duration().Seconds(), 'f', 6, 64), t.Attrs[search.AttrError])
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func exportCurvesCSV(w io.Writer, trials []search.Trial) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"trial", "step", "value"}); err != nil {
		return err
	}
	for _, t := range trials {
		for _, s := range t.Curve {
			v := ""
			if !math.IsNaN(s.Value) {
				v = strconv.FormatFloat(s.Value, 'g', -1, 64)
			}
			if err := cw.Write([]string{strconv.Itoa(t.ID), strconv.Itoa(s.Step), v}); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

type jsonTrial struct {
	ID       int               `json:"trial"`
	State    string            `json:"state"`
	Values   []float64         `json:"values,omitempty"`
	Params   map[string]string `json:"params"`
	ArchHash string            `json:"arch_hash,omitempty"`
	Arch     *graph.Arch       `json:"arch,omitempty"`
	Curve    []search.Step     `json:"curve,omitempty"`
	Attrs    map[string]string `json:"attrs,omitempty"`
	Started  string            `json:"started,omitempty"`
	Finished string            `json:"finished,omitempty"`
}

func exportJSON(w io.Writer, info search.StudyInfo, trials []search.Trial) error {
	sp := &space.Space{Params: info.Params}
	out := struct {
		Study     string      `json:"study"`
		Optimizer string      `json:"optimizer"`
		Seed      int64       `json:"seed"`
		Trials    []jsonTrial `json:"trials"`
	}{Study: info.Name, Optimizer: info.Optimizer, Seed: info.Seed}
	for _, t := range trials {
		jt := jsonTrial{ID: t.ID, State: t.State.String(), Params: sp.Format(t.Params), ArchHash: t.ArchHash,
			Arch: t.Arch, Curve: t.Curve, Attrs: t.Attrs, Started: formatTime(t.Started), Finished: formatTime(t.Finished)}
		for _, v := range t.Values { // JSON has no NaN or Inf
			if math.IsNaN(v) || math.IsInf(v, 0) {
				jt.Values = nil
				break
			}
			jt.Values = append(jt.Values, v)
		}
		for _, s := range t.Curve {
			if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
				jt.Curve = nil // JSON cannot hold it; --curves keeps the steps
				break
			}
		}
		out.Trials = append(out.Trials, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

type jsonStep struct {
	Trial int      `json:"trial"`
	Step  int      `json:"step"`
	Value *float64 `json:"value"` // null for NaN or an infinity
}

func exportCurvesJSON(w io.Writer, info search.StudyInfo, trials []search.Trial) error {
	out := struct {
		Study  string     `json:"study"`
		Curves []jsonStep `json:"curves"`
	}{Study: info.Name, Curves: []jsonStep{}}
	for _, t := range trials {
		for _, s := range t.Curve {
			st := jsonStep{Trial: t.ID, Step: s.Step}
			if !math.IsNaN(s.Value) && !math.IsInf(s.Value, 0) {
				v := s.Value
				st.Value = &v
			}
			out.Curves = append(out.Curves, st)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
