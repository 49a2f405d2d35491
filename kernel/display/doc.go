// Package display turns Go values into Jupyter MIME bundles, and holds the
// small wrapper types (HTML, PNG, SVG, Markdown, ...) that notebook cells use
// to show raw content.
//
// A value renders richly by having any of these methods, so libraries need not
// import the kernel:
//
//	HTML() string       text/html
//	Markdown() string   text/markdown
//	SVG() string        image/svg+xml
//	PNG() []byte        image/png
//	JPEG() []byte       image/jpeg
//	LaTeX() string      text/latex
//	JSON() any          application/json
//
// Every bundle also has text/plain. MorphML's search.Study, search.Trial,
// graph.Arch and plots.Figure implement some of these.
package display
