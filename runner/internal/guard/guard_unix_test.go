//go:build unix

package guard

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startGuard starts a guardian (this test binary, which serves as one when
// started under its name) and waits until it runs.
func startGuard(t *testing.T) *Guard {
	t.Helper()
	g, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Ready(); err != nil {
		t.Fatal(err)
	}
	return g
}

// waitExit waits for the guardian to end and returns its exit status.
func waitExit(t *testing.T, g *Guard) int {
	t.Helper()
	done := make(chan syscall.WaitStatus, 1)
	go func() {
		ws, err := g.proc.Wait()
		if err != nil {
			t.Error(err)
		}
		done <- ws
	}()
	select {
	case ws := <-done:
		return ws.ExitStatus()
	case <-time.After(10 * time.Second):
		t.Fatal("the guardian did not end")
		return -1
	}
}

// dieWithoutDone closes the runner's end as the kernel does when the
// runner dies: without the "done" message, which tests send themselves
// when they want it (Close would also wait for the guardian, as they do).
func dieWithoutDone(g *Guard) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.w.Close()
	g.w = nil
}

// When the runner's end closes without "done", the guardian kills the
// groups and removes the paths still registered, and only those.
func TestGuardianCleansUpAfterTheRunner(t *testing.T) {
	g := startGuard(t)
	registered, forgotten := t.TempDir(), t.TempDir()
	g.Remove(registered)
	g.Remove(forgotten)
	g.Forget(forgotten)
	sleeper := exec.Command("sleep", "300")
	sleeper.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	g.Group(sleeper.Process.Pid)
	dieWithoutDone(g)
	if code := waitExit(t, g); code != 0 {
		t.Errorf("guardian exit status %d, want 0", code)
	}
	state, err := sleeper.Process.Wait()
	if err != nil || state.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Errorf("the registered group's process ended with %v, %v; want SIGKILL", state, err)
	}
	if _, err := os.Stat(registered); !os.IsNotExist(err) {
		t.Errorf("registered path %s is still there (%v)", registered, err)
	}
	if _, err := os.Stat(forgotten); err != nil {
		t.Errorf("forgotten path %s is gone: %v", forgotten, err)
	}
}

// "done" (which Close sends) ends the guardian without touching what is registered.
func TestGuardianDoneLeavesEverything(t *testing.T) {
	g := startGuard(t)
	dir := t.TempDir()
	g.Remove(dir)
	g.send("done")
	dieWithoutDone(g)
	if code := waitExit(t, g); code != 0 {
		t.Errorf("guardian exit status %d, want 0", code)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("%s is gone after done: %v", dir, err)
	}
}

// The guardian reads its pipe only every gather, so that messages gather
// instead of waking it; a runner that writes far more than the pipe holds
// in one wait must still get through.
func TestGuardianKeepsUpWithManyMessages(t *testing.T) {
	g := startGuard(t)
	long := filepath.Join(t.TempDir(), strings.Repeat("x", 200))
	for i := range 5000 { // about 1.1 MB, 17 pipes full
		p := long + strconv.Itoa(i)
		g.Remove(p)
		g.Forget(p)
	}
	g.send("done")
	dieWithoutDone(g)
	if code := waitExit(t, g); code != 0 {
		t.Errorf("guardian exit status %d, want 0", code)
	}
}

// The guardian runs at the lowest priority: its start-up must not take
// the processor from the runner and the command.
func TestGuardianPriority(t *testing.T) {
	g := startGuard(t)
	defer g.Close()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", g.proc.Pid))
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	// Field 19 is the nice value; the command name before it, in
	// parentheses, may hold spaces.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	if nice := fields[16]; nice != "19" {
		t.Errorf("the guardian's nice value is %s, want 19", nice)
	}
}
