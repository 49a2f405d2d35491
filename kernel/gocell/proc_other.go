//go:build !unix

package gocell

import (
	"os"
	"os/exec"
)

func setProcessGroup(*exec.Cmd) {}

func interruptProcess(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Signal(os.Interrupt)
	}
}

func killProcess(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
