package local

import (
	"os"

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

// lockFile takes an exclusive lock on the first byte of f, failing at once
// when another process holds it.
func lockFile(f *os.File) (unlock func(), err error) {
	h := windows.Handle(f.Fd())
	ol := new(windows.Overlapped)
	if err := windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol); err != nil {
		return nil, err
	}
	return func() { _ = windows.UnlockFileEx(h, 0, 1, 0, ol) }, nil
}
