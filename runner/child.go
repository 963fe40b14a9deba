package runner

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"

	"github.com/wurzel-dev/wurzel/runner/internal/spawn"
)

// child is a process the runner started in a process group of its own
// (startGroup): the command or a fetch helper. Where the platform allows
// and its standard streams need no copying, it was started by package
// spawn, which saves the first os/exec start of every runner process its
// pidfd check (see package spawn); otherwise by os/exec, which copies a
// stream that is not a file through a pipe.
type child struct {
	pid  int
	name string         // argv[0]
	cmd  *exec.Cmd      // set when os/exec started it
	proc *spawn.Process // set when spawn started it

	reaped sync.Once
	status syscall.WaitStatus // once reaped
	err    error              // why it could not be reaped
}

// start starts cmd, which describes the process: its path and arguments,
// directory, environment, streams and system attributes.
func start(cmd *exec.Cmd) (*child, error) {
	if files, ok := streamFiles(cmd); ok && spawnDirectly {
		env := cmd.Env
		if env == nil {
			env = os.Environ()
		}
		p, err := spawn.Start(cmd.Path, cmd.Args, spawn.Attr{Dir: cmd.Dir, Env: env, Files: files, Sys: cmd.SysProcAttr})
		if err != nil {
			return nil, err
		}
		return &child{pid: p.Pid, name: cmd.Args[0], proc: p}, nil
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &child{pid: cmd.Process.Pid, name: cmd.Args[0], cmd: cmd}, nil
}

// streamFiles returns cmd's standard streams as files (nil for none, which
// is /dev/null), and whether they all are: no stdin to copy, no writer but
// a file, no extra descriptors.
func streamFiles(cmd *exec.Cmd) ([]*os.File, bool) {
	if cmd.Stdin != nil || len(cmd.ExtraFiles) > 0 {
		return nil, false
	}
	files := make([]*os.File, 3)
	for i, w := range []io.Writer{cmd.Stdout, cmd.Stderr} {
		switch f := w.(type) {
		case nil:
		case *os.File:
			if f == nil {
				return nil, false
			}
			files[i+1] = f
		default:
			return nil, false
		}
	}
	return files, true
}

// reap waits for the process to exit and reaps it, once; with os/exec, it
// also waits for its streams to be copied.
func (c *child) reap() {
	c.reaped.Do(func() {
		if c.proc != nil {
			c.status, c.err = c.proc.Wait()
			return
		}
		err := c.cmd.Wait() // an exit status other than 0 is an error too
		if c.cmd.ProcessState == nil {
			c.err = fmt.Errorf("waiting for process %d: %w", c.pid, err)
			return
		}
		if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
			c.status = ws
		} else {
			c.err = fmt.Errorf("no exit status for process %d", c.pid)
		}
	})
}

// exitStatus is the shell's convention for the reaped process: its exit
// code, or 128+signal.
func (c *child) exitStatus() int {
	if c.err != nil {
		return -1
	}
	if c.status.Signaled() {
		return 128 + int(c.status.Signal())
	}
	return c.status.ExitStatus()
}

func (c *child) signaled() bool { return c.err == nil && c.status.Signaled() }

// String describes how the reaped process ended, as os.ProcessState does.
func (c *child) String() string {
	switch {
	case c.err != nil:
		return c.err.Error()
	case c.status.Signaled():
		return "signal: " + c.status.Signal().String()
	default:
		return fmt.Sprintf("exit status %d", c.status.ExitStatus())
	}
}
