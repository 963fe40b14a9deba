package guard

import "syscall"

// Windows has no POSIX process groups; the runner is not supported there
// (see docs/runtime.md) and starts no guardian.
const supported = false

func self() (string, error) { return "", nil }

func ownGroup() *syscall.SysProcAttr { return nil }

func lowerPriority(int) {}
