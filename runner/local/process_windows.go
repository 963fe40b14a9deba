package local

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// signalGroup ends the step's runner. Windows has no POSIX process groups
// or SIGTERM: the runner is killed, and the command it started with it only
// as far as Windows ends child processes. wurzel run targets Linux and
// macOS; this keeps the command line building and usable on Windows.
func signalGroup(pid int, _ sigKind) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
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
	h := windows.Handle(f.Fd())
	ol := new(windows.Overlapped)
	if err := windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol); err != nil {
		f.Close()
		return nil, fmt.Errorf("store %s is in use by another wurzel run", root)
	}
	return func() {
		_ = windows.UnlockFileEx(h, 0, 1, 0, ol)
		f.Close()
	}, nil
}
