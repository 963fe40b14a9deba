package runner

import "syscall"

// processGroupAttr puts the command in its own process group, so that
// signals reach everything it starts, and kills it if the runner dies.
func processGroupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
