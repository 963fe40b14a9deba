// Command stepfloor is the least a step runner written in Go can do while
// keeping the runner's one durability promise: read the spec, run the
// command with the runner's stdout and stderr, wait for it, and write a
// small manifest that is synced before it is renamed into place. No
// checks, no logs. With -guardian it also keeps the runner's promise about
// its own death the cheapest way it can: before the command starts, it
// starts a copy of itself that holds a pipe and would outlive it (a
// guardian that does nothing else, at nice 19 as the runner's). With -contract it also keeps the last
// one, a graceful stop: the command runs in a process group of its own, to
// which SIGTERM and SIGINT are forwarded. -volatile is -contract with the
// manifest renamed into place unsynced, as the runner writes a volatile
// manifest (Argo's pods). With -no-manifest it only runs
// the command: what Go's start-up and os/exec cost alone. With -exit it
// does nothing at all: what Go's start-up and exit cost alone.
// BenchmarkStepProcess builds it and runs it beside `wurzel step exec` and
// `true`, so that the cost of Go's own start-up and process handling, of
// that fsync, of a second process and of signal handling is measured in
// the same run as the runner's.
//
// Usage: stepfloor [-guardian | -contract | -volatile | -no-manifest | -exit] SPEC
package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
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
	case len(args) == 2 && args[0] == "-volatile":
		p = promises{manifest: true, guardian: true, forward: true}
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
	cmd := exec.Command(st.Command[0], st.Command[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if p.forward {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	<-notified
	if cmd.Start() != nil {
		return 1
	}
	if p.forward {
		go func() {
			for range signals {
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			}
		}()
	}
	if cmd.Wait() != nil {
		return 1
	}
	if !p.manifest {
		return 0
	}
	return writeManifest(st.Manifest, p.sync)
}

// startGuardian starts the guardian and returns what ends it. Start
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
	g := &exec.Cmd{Path: exe, Args: []string{guardianName}, Env: []string{"GOMAXPROCS=1"}, ExtraFiles: []*os.File{r}}
	err = g.Start()
	r.Close()
	if err != nil {
		w.Close()
		return nil, err
	}
	// As the runner's, it waits at the lowest priority.
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, g.Process.Pid, 19)
	go g.Wait()
	return func() { w.Close() }, nil
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
