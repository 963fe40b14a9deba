//go:build unix

package benchgen

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU time (user and system, all threads, GC included)
// the process has used. Benchmarks report it per operation because wall
// time depends on how busy the machine is.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
