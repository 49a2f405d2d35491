package graph

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// DOT renders the architecture as a Graphviz digraph: one box per node,
// labelled with its name (when set), op, attributes and output shape, and
// one edge per input. An architecture that does not validate is still drawn:
// nodes from the first invalid one on have no shape, and the error is shown
// in the graph's label.
func DOT(a *Arch) string {
	var b strings.Builder
	b.WriteString("digraph arch {\n")
	b.WriteString("  rankdir=TB;\n")
	b.WriteString("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n")
	if a == nil {
		b.WriteString("}\n")
		return b.String()
	}
	shapes, err := walk(a, nil)
	if err != nil {
		fmt.Fprintf(&b, "  label=%s;\n", dotQuote("invalid: "+err.Error()))
	}
	for i, n := range a.Nodes {
		var lines []string
		if n.Name != "" && n.Name != n.Op {
			lines = append(lines, n.Name)
		}
		lines = append(lines, n.Op)
		if at := attrText(n.Attrs); at != "" {
			lines = append(lines, at)
		}
		if i < len(shapes) && shapes[i] != nil {
			lines = append(lines, shapes[i].String())
		}
		fmt.Fprintf(&b, "  n%d [label=%s];\n", i, dotQuote(strings.Join(lines, "\n")))
	}
	for i, n := range a.Nodes {
		for _, j := range n.Inputs {
			fmt.Fprintf(&b, "  n%d -> n%d;\n", j, i)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// dotQuote quotes s as a DOT string; newlines become centred line breaks.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// attrText lists attributes as key=value, sorted by key.
func attrText(attrs map[string]int) string {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Itoa(attrs[k])
	}
	return strings.Join(parts, " ")
}

// Summary renders a Keras-like table of the architecture: one row per node
// with its index, name, op, attributes, inputs, output shape and parameters,
// then the totals (parameters and FLOPs). An architecture that does not
// validate is listed up to the first invalid node, followed by the error.
func Summary(a *Arch) string {
	if a == nil {
		return "(no architecture)\n"
	}
	type row struct{ idx, name, op, attrs, inputs, shape, params string }
	rows := []row{{"#", "name", "op", "attributes", "inputs", "output shape", "params"}}
	var total, flops counter
	shapes, err := walk(a, func(i int, nc nodeCount) {
		n := a.Nodes[i]
		in := make([]string, len(n.Inputs))
		for k, j := range n.Inputs {
			in[k] = strconv.Itoa(j)
		}
		rows = append(rows, row{strconv.Itoa(i), n.Name, n.Op, attrText(n.Attrs), strings.Join(in, ","),
			nc.out.String(), group(nc.params)})
		total.add(nc.params)
		flops.add(nc.flops)
	})
	_ = shapes
	width := make([]int, 7)
	for _, r := range rows {
		for k, c := range []string{r.idx, r.name, r.op, r.attrs, r.inputs, r.shape, r.params} {
			width[k] = max(width[k], len(c))
		}
	}
	var b strings.Builder
	line := func(r row) {
		cells := []string{r.idx, r.name, r.op, r.attrs, r.inputs, r.shape, r.params}
		for k, c := range cells {
			if k > 0 {
				b.WriteString("  ")
			}
			if k == 0 || k == 6 { // numbers right-aligned
				b.WriteString(strings.Repeat(" ", width[k]-len(c)) + c)
			} else if k < 6 {
				b.WriteString(c + strings.Repeat(" ", width[k]-len(c)))
			}
		}
		b.WriteString("\n")
	}
	line(rows[0])
	sep := 0
	for _, w := range width {
		sep += w
	}
	sep += 2 * (len(width) - 1)
	b.WriteString(strings.Repeat("-", sep) + "\n")
	for _, r := range rows[1:] {
		line(r)
	}
	b.WriteString(strings.Repeat("-", sep) + "\n")
	if err != nil {
		fmt.Fprintf(&b, "invalid: %v\n", err)
		return b.String()
	}
	if total.overflow || flops.overflow {
		b.WriteString("Total params: too large to count\n")
		return b.String()
	}
	fmt.Fprintf(&b, "Total params: %s\n", group(total.v))
	fmt.Fprintf(&b, "FLOPs: %s\n", group(flops.v))
	return b.String()
}

// group writes n with thousands separators: 1234567 -> 1,234,567.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
