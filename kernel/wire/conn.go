package wire

import (
	"encoding/json"
	"fmt"
	"os"
)

// ConnectionInfo is the content of a Jupyter connection file.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile parses the connection file that Jupyter passes to a kernel.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file: %w", err)
	}
	return ParseConnectionInfo(data)
}

// ParseConnectionInfo parses the JSON of a connection file and checks that it
// names a transport, an address, five ports and a signature scheme this
// package implements.
func ParseConnectionInfo(data []byte) (ConnectionInfo, error) {
	var ci ConnectionInfo
	if err := json.Unmarshal(data, &ci); err != nil {
		return ci, fmt.Errorf("connection file: %w", err)
	}
	if ci.Transport == "" {
		ci.Transport = "tcp"
	}
	if ci.IP == "" {
		ci.IP = "127.0.0.1"
	}
	if ci.SignatureScheme == "" {
		ci.SignatureScheme = "hmac-sha256"
	}
	if ci.Transport != "tcp" && ci.Transport != "ipc" {
		return ci, fmt.Errorf("connection file: transport %q not supported (want tcp or ipc)", ci.Transport)
	}
	if ci.SignatureScheme != "hmac-sha256" {
		return ci, fmt.Errorf("connection file: signature scheme %q not supported (want hmac-sha256)", ci.SignatureScheme)
	}
	for name, p := range map[string]int{"shell_port": ci.ShellPort, "control_port": ci.ControlPort,
		"stdin_port": ci.StdinPort, "iopub_port": ci.IOPubPort, "hb_port": ci.HBPort} {
		if p <= 0 || p > 65535 {
			return ci, fmt.Errorf("connection file: %s %d out of range", name, p)
		}
	}
	return ci, nil
}

// Endpoint is the ZeroMQ address of a port, e.g. "tcp://127.0.0.1:5555"; for
// the ipc transport Jupyter names the socket file IP-PORT.
func (ci ConnectionInfo) Endpoint(port int) string {
	if ci.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", ci.IP, port)
	}
	return fmt.Sprintf("%s://%s:%d", ci.Transport, ci.IP, port)
}
