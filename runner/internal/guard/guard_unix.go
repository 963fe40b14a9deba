//go:build unix

package guard

import (
	"os"
	"runtime"
	"syscall"
)

const supported = true

// self is the running executable, to start again as the guardian. On Linux
// /proc/self/exe still works when the file was replaced or removed since.
func self() (string, error) {
	if runtime.GOOS == "linux" {
		if _, err := os.Stat("/proc/self/exe"); err == nil {
			return "/proc/self/exe", nil
		}
	}
	return os.Executable()
}

// ownGroup starts the guardian in a process group of its own, out of reach
// of signals to the runner's group.
func ownGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// lowerPriority gives the guardian the lowest priority (nice 19): it waits
// for the runner's end and does nothing else, and its start-up then takes
// processor time only when the runner and the command leave some. Even on
// a machine the command keeps busy it gets its share, and acts on the
// runner's death a little later.
func lowerPriority(pid int) { _ = syscall.Setpriority(syscall.PRIO_PROCESS, pid, 19) }
