// Command stepfloor is the least a step runner written in Go can do while
// keeping the runner's one durability promise: read the spec, run the
// command with the runner's stdout and stderr, wait for it, and write a
// small manifest that is synced before it is renamed into place. No
// checks, no logs. With -guardian it also keeps the runner's promise about
// its own death the cheapest way it can: before the command starts, it
// starts a copy of itself that holds a pipe and would outlive it (a
// guardian that does nothing else, at nice 19 as the runner's). With -contract it also keeps the last
// one, a graceful stop: the command runs in a process group of its own, to
// which SIGTERM and SIGINT are forwarded. -pod keeps the promises of the
// runner in Argo's pods: -contract without the guardian (a contained step,
// whose container's end kills what the runner leaves) and with the
// manifest renamed into place unsynced (a volatile manifest). With
// -no-manifest it only runs the command: what Go's start-up and a fork and
// exec cost alone. With -exit it does nothing at all: what Go's start-up
// and exit cost alone.
// BenchmarkStepProcess builds it and runs it beside `wurzel step exec` and
// `true`, so that the cost of Go's own start-up and process handling, of
// that fsync, of a second process and of signal handling is measured in
// the same run as the runner's.
//
// Usage: stepfloor [-guardian | -contract | -pod | -no-manifest | -exit] SPEC
package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
)

// guardianName marks the guardian copy, as the runner's own does.
const guardianName = "stepfloor-guardian"

func init() {
	if os.Args[0] == guardianName {
		// Wait until the runner's end of the pipe closes.
		lifeline := os.NewFile(3, "lifeline")
		var b [64]byte
		for {
			if _, err := lifeline.Read(b[:]); err != nil {
				os.Exit(0)
			}
		}
	}
}

func main() {
	args := os.Args[1:]
	var p promises
	switch {
	case len(args) == 2 && args[0] == "-contract":
		p = promises{manifest: true, sync: true, guardian: true, forward: true}
	case len(args) == 2 && args[0] == "-pod":
		p = promises{manifest: true, forward: true}
	case len(args) == 2 && args[0] == "-guardian":
		p = promises{manifest: true, sync: true, guardian: true}
	case len(args) == 2 && args[0] == "-exit":
		os.Exit(0)
	case len(args) == 2 && args[0] == "-no-manifest":
	case len(args) == 1:
		p = promises{manifest: true, sync: true}
	default:
		os.Exit(120)
	}
	os.Exit(p.run(args[len(args)-1]))
}

// promises are what a floor keeps of the runner's.
type promises struct{ manifest, sync, guardian, forward bool }

func (p promises) run(specFile string) int {
	var signals chan os.Signal
	notified := make(chan struct{})
	if p.forward {
		// As the runner does, the set-up (a thread of the runtime's own)
		// goes on while the guardian starts and the spec is read.
		signals = make(chan os.Signal, 1)
		go func() {
			signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
			close(notified)
		}()
	} else {
		close(notified)
	}
	if p.guardian {
		release, err := startGuardian()
		if err != nil {
			return 125
		}
		defer release()
	}
	data, err := os.ReadFile(specFile)
	if err != nil {
		return 120
	}
	var st struct {
		Command  []string `json:"command"`
		Manifest string   `json:"manifest"`
	}
	if json.Unmarshal(data, &st) != nil || len(st.Command) == 0 {
		return 120
	}
	path, err := exec.LookPath(st.Command[0])
	if err != nil {
		return 127
	}
	// As the runner starts its command (package spawn): one fork and exec,
	// not os/exec, whose first start in a process checks pidfd support
	// with a child of its own.
	sys := &syscall.SysProcAttr{}
	if p.forward {
		sys.Setpgid = true
	}
	<-notified
	pid, err := syscall.ForkExec(path, st.Command, &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{devNull().Fd(), 1, 2}, Sys: sys})
	if err != nil {
		return 1
	}
	if p.forward {
		go func() {
			for range signals {
				_ = syscall.Kill(-pid, syscall.SIGTERM)
			}
		}()
	}
	if ws, err := wait(pid); err != nil || ws.ExitStatus() != 0 {
		return 1
	}
	if !p.manifest {
		return 0
	}
	return writeManifest(st.Manifest, p.sync)
}

// startGuardian starts the guardian and returns what ends it. ForkExec
// returns once the guardian's exec succeeded, as the runner waits for its
// guardian before it starts a command. Like the runner's, the guardian
// gets one processor.
func startGuardian() (func(), error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	null := devNull().Fd()
	pid, err := syscall.ForkExec(exe, []string{guardianName}, &syscall.ProcAttr{Env: []string{"GOMAXPROCS=1"}, Files: []uintptr{null, null, null, r.Fd()}, Sys: &syscall.SysProcAttr{Setpgid: true}})
	r.Close()
	if err != nil {
		w.Close()
		return nil, err
	}
	// As the runner's, it waits at the lowest priority.
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, pid, 19)
	go wait(pid)
	return func() { w.Close() }, nil
}

// devNull is /dev/null, open for the children's streams they do not use.
var devNull = sync.OnceValue(func() *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		os.Exit(125)
	}
	return f
})

// wait reaps child pid.
func wait(pid int) (syscall.WaitStatus, error) {
	var ws syscall.WaitStatus
	for {
		_, err := syscall.Wait4(pid, &ws, 0, nil)
		if err != syscall.EINTR {
			return ws, err
		}
	}
}

// writeManifest writes a small manifest and renames it into place, with
// sync durably: synced before the rename.
func writeManifest(path string, sync bool) int {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".manifest-*")
	if err != nil {
		return 123
	}
	_, err = tmp.WriteString(`{"outputs":[]}` + "\n")
	if err == nil && sync {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return 123
	}
	return 0
}
