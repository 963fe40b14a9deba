package benchpair

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Adopt makes this process the reaper of its descendants' orphans
// (PR_SET_CHILD_SUBREAPER), so that RunTree can wait for them and count
// their CPU time.
func Adopt() error { return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) }

// RunTree runs cmd and returns its wall time and the CPU time of its
// process tree: every child this process waited for meanwhile, including
// the orphans it adopted, which it waits for after cmd has exited.
func RunTree(cmd *exec.Cmd) (wall, cpu time.Duration, err error) {
	before := children()
	c0 := ChildrenCPU()
	t0 := time.Now()
	err = cmd.Run()
	wall = time.Since(t0)
	for pid := range children() {
		if !before[pid] {
			var ws unix.WaitStatus
			for {
				if _, werr := unix.Wait4(pid, &ws, 0, nil); werr != unix.EINTR {
					break
				}
			}
		}
	}
	return wall, ChildrenCPU() - c0, err
}

// ChildrenCPU is the CPU time of the children this process has waited for
// (RUSAGE_CHILDREN).
func ChildrenCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// children lists this process's children, from every thread's
// /proc/self/task/TID/children.
func children() map[int]bool {
	out := map[int]bool{}
	tasks, _ := os.ReadDir("/proc/self/task")
	for _, t := range tasks {
		data, err := os.ReadFile(filepath.Join("/proc/self/task", t.Name(), "children"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if pid, err := strconv.Atoi(f); err == nil {
				out[pid] = true
			}
		}
	}
	return out
}
