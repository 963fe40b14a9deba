//go:build unix && !linux

package runner

import "syscall"

// processGroupAttr puts the command in its own process group, so that
// signals reach everything it starts.
func processGroupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// spawnDirectly is Linux's alone, where awaitExit need not reap.
const spawnDirectly = false

// awaitExit returns once c's process has exited. It reaps it: without
// Linux's waitid(WNOWAIT) a group id is free again a little earlier.
func awaitExit(c *child) { c.reap() }
