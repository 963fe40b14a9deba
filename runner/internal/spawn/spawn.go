package spawn

import (
	"os"
	"syscall"
)

// Attr is how a process starts: its working directory (the caller's when
// empty), its environment (exactly Env), the files it gets as descriptors
// 0, 1, 2 and on (nil: /dev/null), and the system attributes (process
// group, parent-death signal).
type Attr struct {
	Dir   string
	Env   []string
	Files []*os.File
	Sys   *syscall.SysProcAttr
}

// Process is a started process, to be reaped with Wait.
type Process struct {
	Pid int
}
