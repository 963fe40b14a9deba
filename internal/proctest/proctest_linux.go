package proctest

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Descendants lists the live processes below pid, with their names.
func Descendants(pid int) map[int]string {
	parents := map[int][]int{}
	names := map[int]string{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, name, state, ok := Stat(p)
		if !ok || state == "Z" {
			continue
		}
		parents[ppid] = append(parents[ppid], p)
		names[p] = name
	}
	out := map[int]string{}
	var walk func(int)
	walk = func(p int) {
		for _, c := range parents[p] {
			out[c] = names[c]
			walk(c)
		}
	}
	walk(pid)
	return out
}

// Guardians lists the runners' guardians among procs.
func Guardians(procs map[int]string) []int {
	var out []int
	for pid := range procs {
		if cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); string(cmdline) == "wurzel-guardian\x00" {
			out = append(out, pid)
		}
	}
	return out
}

// Stat reads a process's parent, name and state.
func Stat(pid int) (ppid int, name, state string, ok bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, "", "", false
	}
	s := string(data)
	open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || closing < open {
		return 0, "", "", false
	}
	fields := strings.Fields(s[closing+1:])
	if len(fields) < 2 {
		return 0, "", "", false
	}
	ppid, err = strconv.Atoi(fields[1])
	return ppid, s[open+1 : closing], fields[0], err == nil
}

// Alive reports whether pid is a live process (not a zombie).
func Alive(pid int) bool {
	_, _, state, ok := Stat(pid)
	return ok && state != "Z"
}

// KillAndWatch sends SIGKILL to cmd's process and fails the test unless
// every process it had started is gone within a few seconds. It returns
// the processes there were.
func KillAndWatch(t testing.TB, cmd *exec.Cmd) map[int]string {
	t.Helper()
	procs := Descendants(cmd.Process.Pid)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var left []string
		for pid, name := range procs {
			if Alive(pid) {
				left = append(left, fmt.Sprintf("%d (%s)", pid, name))
			}
		}
		if len(left) == 0 {
			return procs
		}
		if time.Now().After(deadline) {
			for pid := range procs {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			t.Fatalf("after %s was killed, these processes it started live on: %s", cmd.Path, strings.Join(left, ", "))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
