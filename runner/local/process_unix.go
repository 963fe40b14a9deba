//go:build unix

package local

import (
	"fmt"
	"os"
	"path/filepath"
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

// lockStore takes an exclusive lock on the local store so that two runs of
// the same pipeline never record steps over each other.
func lockStore(root string) (func(), error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("store %s: %v", root, err)
	}
	path := filepath.Join(root, "run.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("store %s: %v", root, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("store %s is in use by another wurzel run", root)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
