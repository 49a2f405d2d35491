package search

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"
)

// DisplayRows is how many of the best trials HTML and Markdown list.
const DisplayRows = 10

// HTML is a compact table of the study's best complete trials, best first
// (rank, trial, one column per objective, one per parameter), with the
// trial counts by state in its caption. Notebook kernels show a value with
// an HTML method as rich output. Every text is escaped.
func (s *Study) HTML() string {
	d := s.display()
	var b strings.Builder
	b.WriteString(`<table class="morphml-study">` + "\n<caption>")
	b.WriteString(html.EscapeString(d.caption))
	b.WriteString("</caption>\n<thead><tr>")
	for i, h := range d.header {
		align := ""
		if i < 2+len(s.cfg.Directions) {
			align = ` style="text-align:right"`
		}
		fmt.Fprintf(&b, "<th%s>%s</th>", align, html.EscapeString(h))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	if len(d.rows) == 0 {
		fmt.Fprintf(&b, "<tr><td colspan=\"%d\">no complete trial yet</td></tr>\n", len(d.header))
	}
	for _, row := range d.rows {
		b.WriteString("<tr>")
		for i, c := range row {
			align := ""
			if i < 2+len(s.cfg.Directions) {
				align = ` style="text-align:right"`
			}
			fmt.Fprintf(&b, "<td%s>%s</td>", align, html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	return b.String()
}

// Markdown is HTML's table as GitHub-flavoured Markdown: the caption in
// bold, then the table. Characters Markdown would interpret are escaped.
func (s *Study) Markdown() string {
	d := s.display()
	var b strings.Builder
	b.WriteString("**" + mdEscape(d.caption) + "**\n\n")
	if len(d.rows) == 0 {
		b.WriteString("No complete trial yet.\n")
		return b.String()
	}
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + mdEscape(c) + " |")
		}
		b.WriteString("\n")
	}
	line(d.header)
	b.WriteString("|")
	for i := range d.header {
		if i < 2+len(s.cfg.Directions) {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, row := range d.rows {
		line(row)
	}
	return b.String()
}

// mdEscape backslash-escapes the characters that Markdown (tables, emphasis,
// links, inline HTML) would interpret, and flattens line breaks.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "#", `\#`, "\r\n", " ", "\n", " ", "\r", " ",
)

func mdEscape(s string) string { return mdEscaper.Replace(s) }

// displayTable is what HTML and Markdown show, as plain text.
type displayTable struct {
	caption string
	header  []string
	rows    [][]string
}

func (s *Study) display() displayTable {
	s.mu.Lock()
	var count [4]int
	var done []Trial
	for _, t := range s.trials {
		if int(t.State) >= 0 && int(t.State) < len(count) {
			count[t.State]++
		}
		if t.State == Complete && len(t.Values) == len(s.cfg.Directions) {
			done = append(done, t)
		}
	}
	total := len(s.trials)
	s.mu.Unlock()

	dirs := make([]string, len(s.cfg.Directions))
	for i, d := range s.cfg.Directions {
		dirs[i] = d.String()
	}
	optimizer := s.cfg.OptimizerName
	if optimizer == "" {
		optimizer = "unnamed optimizer"
	}
	d := displayTable{caption: fmt.Sprintf("Study %q: %s, seed %d, %s; %d trials (%d complete, %d pruned, %d failed, %d running)",
		s.cfg.Name, optimizer, s.cfg.Seed, strings.Join(dirs, ", "), total,
		count[Complete], count[Pruned], count[Failed], count[Running])}

	d.header = []string{"rank", "trial"}
	if len(s.cfg.Directions) == 1 {
		d.header = append(d.header, "value")
	} else {
		for i := range s.cfg.Directions {
			d.header = append(d.header, "value_"+strconv.Itoa(i))
		}
	}
	params := s.cfg.Space.Params
	for _, p := range params {
		d.header = append(d.header, p.Name)
	}

	for rank, t := range s.rank(done) {
		if rank == DisplayRows {
			break
		}
		row := []string{strconv.Itoa(rank + 1), strconv.Itoa(t.ID)}
		for i := range s.cfg.Directions {
			row = append(row, formatValue(t.Value(i)))
		}
		for i, p := range params {
			v := ""
			if i < len(t.Params) {
				v = p.Format(t.Params[i])
			}
			row = append(row, v)
		}
		d.rows = append(d.rows, row)
	}
	return d
}

// rank orders complete trials best first: by the first objective in its
// direction (then the next ones; NaN last; the earlier trial on ties). With
// several objectives the Pareto-optimal trials come first. After the sort a
// trial's dominators all come before it, so checking it against the front
// found so far is enough: O(trials x front).
func (s *Study) rank(done []Trial) []Trial {
	k := len(s.cfg.Directions)
	key := func(t Trial, i int) float64 {
		v := t.Values[i]
		switch {
		case math.IsNaN(v):
			return math.Inf(-1)
		case s.cfg.Directions[i] == Minimize:
			return -v
		}
		return v
	}
	sort.SliceStable(done, func(a, b int) bool {
		for i := range k {
			if x, y := key(done[a], i), key(done[b], i); x != y {
				return x > y
			}
		}
		return false
	})
	if k < 2 {
		return done
	}
	var front, rest []Trial
	for _, t := range done {
		dominated := false
		for _, v := range t.Values {
			dominated = dominated || math.IsNaN(v)
		}
		for _, f := range front {
			if dominated || s.dominates(f, t) {
				dominated = true
				break
			}
		}
		if dominated {
			rest = append(rest, t)
		} else {
			front = append(front, t)
		}
	}
	return append(front, rest...)
}

func formatValue(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// HTML is a compact two-column table of the trial: state, values, encoded
// parameters, architecture hash, duration and attributes (sorted by key).
// Parameter names live in the study's space: Study.HTML shows them by name.
func (t Trial) HTML() string {
	var b strings.Builder
	row := func(k, v string) {
		fmt.Fprintf(&b, "<tr><th style=\"text-align:left\">%s</th><td>%s</td></tr>\n", html.EscapeString(k), html.EscapeString(v))
	}
	fmt.Fprintf(&b, "<table class=\"morphml-trial\">\n<caption>trial %d</caption>\n", t.ID)
	row("state", t.State.String())
	for i, v := range t.Values {
		row(fmt.Sprintf("value %d", i), formatValue(v))
	}
	row("params", fmt.Sprint([]float64(t.Params)))
	if t.ArchHash != "" {
		row("arch hash", t.ArchHash)
	}
	if d := t.Duration(); d > 0 {
		row("duration", d.String())
	}
	keys := make([]string, 0, len(t.Attrs))
	for k := range t.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		row(k, t.Attrs[k])
	}
	b.WriteString("</table>")
	return b.String()
}
