//go:build unix && !linux

package local

import "syscall"

// stepProcAttr starts a step's runner in its own process group, so that a
// terminal's Ctrl-C reaches the executor alone and the executor decides
// what the steps get. Without Linux's parent-death signal, a runner outlives
// an executor killed with SIGKILL until its command ends.
func stepProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
