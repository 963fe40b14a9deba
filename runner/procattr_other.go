//go:build unix && !linux

package runner

import "syscall"

// processGroupAttr puts the command in its own process group, so that
// signals reach everything it starts.
func processGroupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
