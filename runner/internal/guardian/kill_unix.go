//go:build unix

package guardian

import "syscall"

func killGroup(pgid int) { _ = syscall.Kill(-pgid, syscall.SIGKILL) }
