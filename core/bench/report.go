package bench

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/morphml/morphml/core/search"
)

// OptionsString renders resolved options as name=value pairs, sorted by
// name, with categorical options by their label.
func (a *NB201Arm) OptionsString() string {
	f, _ := search.Lookup(a.Optimizer)
	names := make([]string, 0, len(a.Options))
	for n := range a.Options {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		v := fmt.Sprint(a.Options[n])
		if o, ok := f.Option(n); ok {
			v = o.Format(a.Options[n])
		}
		parts[i] = n + "=" + v
	}
	return strings.Join(parts, ", ")
}

// Diff is the optimizer's mean minus the baseline's and the standard error
// of that difference (NaN without a baseline).
func (r *NB201Report) Diff() (diff, stderr float64) {
	if r.Baseline == nil {
		return math.NaN(), math.NaN()
	}
	o, b := &r.Optimizer, r.Baseline
	return o.Mean - b.Mean, math.Sqrt(o.Std*o.Std/float64(len(o.Final)) + b.Std*b.Std/float64(len(b.Final)))
}

// optionsCell is OptionsString for a table cell: a dash when there are none.
func (a *NB201Arm) optionsCell() string {
	if s := a.OptionsString(); s != "" {
		return s
	}
	return "–"
}

func (r *NB201Report) arms() []*NB201Arm {
	if r.Baseline != nil {
		return []*NB201Arm{&r.Optimizer, r.Baseline}
	}
	return []*NB201Arm{&r.Optimizer}
}

func (r *NB201Report) title() string {
	return fmt.Sprintf("NAS-Bench-201, %s: %d queries, %d runs (seeds %d..%d)",
		r.Dataset, r.Budget, r.Runs, r.Seed, r.Seed+int64(r.Runs)-1)
}

func (r *NB201Report) footer() []string {
	lines := []string{
		"Final: 200-epoch test accuracy (%) of each run's pick, the architecture with the best 12-epoch validation accuracy it saw (mean ± sample std over runs).",
		fmt.Sprintf("Best test accuracy in the table: %.2f; test accuracy of the best-validation architecture (a search that saw every cell): %.2f.", r.MaxTest, r.OracleTest),
	}
	if d, se := r.Diff(); !math.IsNaN(d) {
		lines = append(lines, fmt.Sprintf("%s − %s: %+.2f ± %.2f (standard error).", r.Optimizer.Optimizer, r.Baseline.Optimizer, d, se))
	}
	lines = append(lines, fmt.Sprintf("Wall time %s with %d runs at once.", r.Elapsed.Round(time.Millisecond), r.Parallelism))
	return lines
}

// Markdown renders the report as a markdown table with notes.
func (r *NB201Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n", r.title())
	b.WriteString("| optimizer | options | final test acc. | pick's val. acc. | run time (sum) |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, a := range r.arms() {
		vm, _ := meanStd(a.PickVal)
		fmt.Fprintf(&b, "| %s | %s | %.2f ± %.2f | %.2f | %s |\n", a.Optimizer, a.optionsCell(), a.Mean, a.Std, vm, a.RunTime.Round(time.Millisecond))
	}
	b.WriteString("\n")
	for _, l := range r.footer() {
		b.WriteString(l + "\n")
	}
	return b.String()
}

// String renders the report as plain text.
func (r *NB201Report) String() string {
	var b strings.Builder
	b.WriteString(r.title() + "\n")
	for _, a := range r.arms() {
		vm, _ := meanStd(a.PickVal)
		fmt.Fprintf(&b, "  %-12s final test acc. %.2f ± %.2f  (pick's val. acc. %.2f)  %s\n", a.Optimizer, a.Mean, a.Std, vm, a.OptionsString())
	}
	for _, l := range r.footer() {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

// HTML renders the report as an HTML table (rich display in notebooks).
func (r *NB201Report) HTML() string {
	var b strings.Builder
	fmt.Fprintf(&b, "<p><b>%s</b></p>\n<table>\n<tr><th>optimizer</th><th>options</th><th>final test acc.</th><th>pick's val. acc.</th><th>run time (sum)</th></tr>\n", html.EscapeString(r.title()))
	for _, a := range r.arms() {
		vm, _ := meanStd(a.PickVal)
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%.2f ± %.2f</td><td>%.2f</td><td>%s</td></tr>\n",
			html.EscapeString(a.Optimizer), html.EscapeString(a.optionsCell()), a.Mean, a.Std, vm, a.RunTime.Round(time.Millisecond))
	}
	b.WriteString("</table>\n")
	for _, l := range r.footer() {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(l))
	}
	return b.String()
}
