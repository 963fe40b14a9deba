//go:build unix

package spawn

import (
	"os"
	"runtime"
	"syscall"
)

// Start starts the program at path with the arguments argv, argv[0] being
// the name it sees. It returns once the program runs, or with an
// *os.PathError (Op "fork/exec") as os/exec's Start does: the program is
// missing, not executable, or its directory cannot be entered.
func Start(path string, argv []string, a Attr) (*Process, error) {
	fds := make([]uintptr, len(a.Files))
	var devNull *os.File
	for i, f := range a.Files {
		if f == nil {
			if devNull == nil {
				var err error
				if devNull, err = os.OpenFile(os.DevNull, os.O_RDWR, 0); err != nil {
					return nil, err
				}
				defer devNull.Close()
			}
			f = devNull
		}
		fds[i] = f.Fd()
	}
	pid, err := syscall.ForkExec(path, argv, &syscall.ProcAttr{Dir: a.Dir, Env: a.Env, Files: fds, Sys: a.Sys})
	// The descriptors must stay open until the child has them.
	runtime.KeepAlive(a.Files)
	if err != nil {
		return nil, &os.PathError{Op: "fork/exec", Path: path, Err: err}
	}
	return &Process{Pid: pid}, nil
}

// Wait waits for the process to exit and reaps it. Call it once.
func (p *Process) Wait() (syscall.WaitStatus, error) {
	var ws syscall.WaitStatus
	for {
		_, err := syscall.Wait4(p.Pid, &ws, 0, nil)
		if err != syscall.EINTR {
			if err != nil {
				return ws, os.NewSyscallError("wait4", err)
			}
			return ws, nil
		}
	}
}
