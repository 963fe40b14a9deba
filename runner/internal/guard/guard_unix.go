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

func killGroup(pgid int) { _ = syscall.Kill(-pgid, syscall.SIGKILL) }
