//go:build unix

package local

import (
	"os"
	"syscall"
)

func signalGroup(pid int, sig sigKind) {
	s := syscall.SIGTERM
	if sig == sigKill {
		s = syscall.SIGKILL
	}
	// The runner leads its own group; signalling the group reaches the
	// runner, which forwards SIGTERM to the command it started.
	syscall.Kill(-pid, s)
}

// lockFile takes an exclusive, non-blocking flock on f.
func lockFile(f *os.File) (unlock func(), err error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return nil, err
	}
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }, nil
}
