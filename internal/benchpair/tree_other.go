//go:build !linux

package benchpair

import (
	"os/exec"
	"time"
)

// Adopt does nothing here: only Linux lets a process adopt its
// descendants' orphans.
func Adopt() error { return nil }

// RunTree runs cmd and returns its wall time and the CPU time of the
// process and the children it waited for; orphans are not counted.
func RunTree(cmd *exec.Cmd) (wall, cpu time.Duration, err error) {
	t0 := time.Now()
	err = cmd.Run()
	wall = time.Since(t0)
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	return wall, cpu, err
}

// ChildrenCPU is not measured on this platform.
func ChildrenCPU() time.Duration { return 0 }
