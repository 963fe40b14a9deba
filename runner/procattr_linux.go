package runner

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// processGroupAttr puts the command in its own process group, so that
// signals reach everything it starts, and kills it if the runner dies (the
// guardian kills the rest of the group).
func processGroupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// spawnDirectly: the command starts through package spawn when its streams
// are files (see child).
const spawnDirectly = true

// awaitExit returns once c's process has exited, without reaping it:
// while it is a zombie, no new process group can take its id.
func awaitExit(c *child) {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, c.pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			return
		}
	}
}
