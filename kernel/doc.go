// Package kernel is MorphML's Jupyter kernel: it dispatches the messages of
// the Jupyter protocol (received by package wire) to an Executor that runs
// cells, and publishes what cells print and display.
//
// The shell channel is served one request at a time, each wrapped in
// status busy / idle on iopub; the control channel has its own goroutine, so
// interrupt_request and shutdown_request are answered while a cell runs. An
// interrupt cancels the context the cell runs under; a cell that has not
// returned after Config.InterruptGrace is left to finish in the background
// and the kernel goes back to idle. Router sends cells that start with a
// cell magic (%%go) to their own Executor. The Go interpreter that runs
// cells lives in package interp, the compiled %%go cells in package gocell,
// the MIME rendering of values in package display.
package kernel
