//go:build unix

package benchpair

import (
	"syscall"
	"time"
)

// CPU is the CPU time (user and system, all threads) the process has used.
func CPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
