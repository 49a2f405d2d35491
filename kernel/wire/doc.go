// Package wire is the Jupyter messaging protocol (version 5.3) on ZeroMQ: the
// connection file, the five sockets (shell and control ROUTER, iopub PUB, stdin
// ROUTER, heartbeat REP), the multipart framing
//
//	[identities...] "<IDS|MSG>" signature header parent_header metadata content [buffers...]
//
// and HMAC-SHA256 signing. A Channel sends and receives whole Messages over one
// socket and rejects messages whose signature does not match. The package knows
// nothing about message types: dispatch lives in package kernel.
package wire
