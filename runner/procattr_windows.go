package runner

import (
	"os"
	"syscall"
)

// processGroupAttr has nothing to add on Windows, which has no process
// groups in the POSIX sense; the runtime contract targets Linux and macOS.
func processGroupAttr() *syscall.SysProcAttr { return nil }

// signalGroup can only end the command itself on Windows.
func signalGroup(pid int, _ bool) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

// spawnDirectly is Linux's alone: here os/exec starts every process.
const spawnDirectly = false

// awaitExit returns once c's process has exited.
func awaitExit(c *child) { c.reap() }
