//go:build !unix

package spawn

import (
	"errors"
	"os"
	"syscall"
)

// errUnsupported: the runner starts processes through os/exec here.
var errUnsupported = errors.New("spawn: not supported on this platform")

// Start is not supported outside Unix; the runner does not call it there.
func Start(path string, argv []string, a Attr) (*Process, error) {
	return nil, &os.PathError{Op: "fork/exec", Path: path, Err: errUnsupported}
}

// Wait is not supported outside Unix.
func (p *Process) Wait() (syscall.WaitStatus, error) { return syscall.WaitStatus{}, errUnsupported }
