package stepcmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// childEnv makes the test binary act as wurzel-step, so that a test can
// signal a real runner process.
const childEnv = "WURZEL_STEPCMD_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(Main("test", os.Args[len(os.Args)-2:], os.Environ(), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// TestSIGTERMStopsTheStep signals a runner process as a pod's eviction
// does, twice: the command gets SIGTERM once, and takes its time to stop,
// during which the second signal must not end the runner either. The
// command's status passes through and nothing is published.
func TestSIGTERMStopsTheStep(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM on Windows")
	}
	dir := t.TempDir()
	ready, got := filepath.Join(dir, "ready"), filepath.Join(dir, "got-term")
	specFile := writeSpec(t, dir, `trap 'echo term >> `+got+`; sleep 0.5; exit 5' TERM; touch `+ready+`; while :; do sleep 0.05; done`)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	child := exec.Command(exe, "-test.run=^$", "--spec", specFile)
	child.Env = append(os.Environ(), childEnv+"=1")
	// A file, not a buffer: the runner and its command write to it
	// directly, with no copying goroutine to race with.
	logFile, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	child.Stdout, child.Stderr = logFile, logFile
	logs := func() string {
		data, _ := os.ReadFile(logFile.Name())
		return string(data)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !exists(ready); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = child.Process.Kill()
			t.Fatalf("the command never started; runner log:\n%s", logs())
		}
	}
	for range 2 {
		if err := child.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	err = child.Wait()
	if code := child.ProcessState.ExitCode(); code != 5 {
		t.Fatalf("runner exited %d (%v), want the command's 5; log:\n%s", code, err, logs())
	}
	if data, _ := os.ReadFile(got); string(data) != "term\n" {
		t.Errorf("the command got %q from its trap, want one SIGTERM", data)
	}
	if exists(filepath.Join(dir, "store", "manifest.json")) || exists(filepath.Join(dir, "store", "out.txt")) {
		t.Error("a terminated step published something")
	}
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
