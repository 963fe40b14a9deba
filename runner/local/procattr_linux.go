package local

import "syscall"

// stepProcAttr starts a step's runner in its own process group, so that a
// terminal's Ctrl-C reaches the executor alone and the executor decides
// what the steps get, and with a parent-death signal, so that the runner
// (which forwards it to its command) stops when the executor is killed.
func stepProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
