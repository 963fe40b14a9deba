//go:build unix && !linux

package runner

import (
	"os/exec"
	"syscall"
)

// processGroupAttr puts the command in its own process group, so that
// signals reach everything it starts.
func processGroupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// awaitExit returns once cmd's process has exited. It reaps it: without
// Linux's waitid(WNOWAIT) a group id is free again a little earlier.
func awaitExit(cmd *exec.Cmd) { _ = cmd.Wait() }
