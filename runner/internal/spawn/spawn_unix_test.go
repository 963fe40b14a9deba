//go:build unix

package spawn

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// start starts /bin/sh -c script as sh, with attr, and fails the test if
// it cannot.
func start(t *testing.T, script string, a Attr) *Process {
	t.Helper()
	p, err := Start("/bin/sh", []string{"sh", "-c", script}, a)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func wait(t *testing.T, p *Process) syscall.WaitStatus {
	t.Helper()
	ws, err := p.Wait()
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// The process gets exactly the directory, environment, argv[0] and files
// it was given; a nil file is /dev/null.
func TestStartPassesWhatItIsGiven(t *testing.T) {
	dir := t.TempDir()
	out, err := os.Create(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	script := `echo "$0 $FOO ${HOME-unset}"; pwd; cat; echo err >&2; echo three >&3`
	p := start(t, script, Attr{Dir: dir, Env: []string{"FOO=bar"}, Files: []*os.File{nil, out, out, w}})
	w.Close()
	if ws := wait(t, p); ws.ExitStatus() != 0 {
		t.Fatalf("exit status %d", ws.ExitStatus())
	}
	got, err := os.ReadFile(out.Name())
	if err != nil {
		t.Fatal(err)
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := "sh bar unset\n" + realDir + "\nerr\n"; string(got) != want {
		t.Errorf("the process wrote %q, want %q", got, want)
	}
	var buf [16]byte
	n, _ := r.Read(buf[:])
	if string(buf[:n]) != "three\n" {
		t.Errorf("descriptor 3 got %q", buf[:n])
	}
}

// Wait reports an exit code, and a signal as a signal.
func TestWaitReportsHowItEnded(t *testing.T) {
	if ws := wait(t, start(t, "exit 3", Attr{})); ws.ExitStatus() != 3 || ws.Signaled() {
		t.Errorf("exit 3 came back as %v", ws)
	}
	ws := wait(t, start(t, "kill -TERM $$", Attr{}))
	if !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("a process killed by SIGTERM came back as %v", ws)
	}
}

// The system attributes apply: Setpgid puts it in a group of its own.
func TestStartAppliesSysProcAttr(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// It waits for its stdin to close, so that its group can be read.
	p := start(t, "cat", Attr{Files: []*os.File{r}, Sys: &syscall.SysProcAttr{Setpgid: true}})
	pgid, err := syscall.Getpgid(p.Pid)
	w.Close()
	wait(t, p)
	if err != nil {
		t.Fatal(err)
	}
	if pgid != p.Pid {
		t.Errorf("process group %d, want its own (%d)", pgid, p.Pid)
	}
}

// A failed start is an *os.PathError, as os/exec's: a missing program is
// fs.ErrNotExist, one without execute permission fs.ErrPermission.
func TestStartErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := Start(filepath.Join(dir, "missing"), []string{"missing"}, Attr{})
	var pe *os.PathError
	if !errors.As(err, &pe) || pe.Op != "fork/exec" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing program: %v", err)
	}
	script := filepath.Join(dir, "script")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Start(script, []string{"script"}, Attr{})
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), script) {
		t.Errorf("program without execute permission: %v", err)
	}
}
