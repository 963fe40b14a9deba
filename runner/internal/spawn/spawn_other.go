//go:build !unix

package spawn

import (
	"errors"
	"os"
	"syscall"
)

// Attr is how a process starts; see the Unix version.
type Attr struct {
	Dir   string
	Env   []string
	Files []*os.File
	Sys   *syscall.SysProcAttr
}

// Process is a started process.
type Process struct {
	Pid int
}

// errUnsupported: the runner starts processes through os/exec here.
var errUnsupported = errors.New("spawn: not supported on this platform")

// Start is not supported outside Unix; the runner does not call it there.
func Start(path string, argv []string, a Attr) (*Process, error) {
	return nil, &os.PathError{Op: "fork/exec", Path: path, Err: errUnsupported}
}

// Wait is not supported outside Unix.
func (p *Process) Wait() (syscall.WaitStatus, error) { return syscall.WaitStatus{}, errUnsupported }
