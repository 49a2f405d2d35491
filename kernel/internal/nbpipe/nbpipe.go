// Package nbpipe is the little protocol between a program run by a %%go cell
// and the kernel that runs it: package nb, in the program, writes one JSON
// Message a line to the file descriptor named by the environment variable
// Env; package gocell, in the kernel, reads them and shows them in the cell.
package nbpipe

// Env names the environment variable that holds the file descriptor.
const Env = "MORPHML_NB_FD"

// Message is one line of the pipe.
type Message struct {
	Op       string         `json:"op"` // "display" or "clear"
	Data     map[string]any `json:"data,omitempty"`
	Metadata map[string]any `json:"metadata,omitempty"`
	ID       string         `json:"id,omitempty"`
	Update   bool           `json:"update,omitempty"`
	Wait     bool           `json:"wait,omitempty"`
}
