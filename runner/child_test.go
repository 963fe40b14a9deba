package runner

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// A command whose streams are files starts through package spawn on Linux
// (no os/exec, whose first start in a process costs a child of its own);
// one whose output must be copied, through os/exec. Both report how the
// process ended alike.
func TestStartChoosesSpawnForFiles(t *testing.T) {
	out := createFile(t, filepath.Join(t.TempDir(), "out"))
	cases := []struct {
		name      string
		stdout    io.Writer
		wantSpawn bool
	}{
		{"files", out, runtime.GOOS == "linux"},
		{"buffer", &bytes.Buffer{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command("/bin/sh", "-c", "echo hi; kill -TERM $$")
			cmd.Stdout, cmd.Stderr = c.stdout, c.stdout
			cmd.SysProcAttr = processGroupAttr()
			ch, err := start(cmd)
			if err != nil {
				t.Fatal(err)
			}
			if got := ch.proc != nil; got != c.wantSpawn {
				t.Errorf("started by spawn: %v, want %v", got, c.wantSpawn)
			}
			ch.reap()
			if ch.exitStatus() != 128+15 || !ch.signaled() || ch.String() != "signal: terminated" {
				t.Errorf("ended with %d (signaled %v, %q), want 143 by SIGTERM", ch.exitStatus(), ch.signaled(), ch.String())
			}
		})
	}
	if got := readFile(t, out.Name()); got != "hi\n" {
		t.Errorf("the file got %q", got)
	}
}

// A stream that is a nil *os.File is not a file to pass on.
func TestStreamFilesRefusesNilFile(t *testing.T) {
	var nilFile *os.File
	cmd := exec.Command("true")
	cmd.Stdout = nilFile
	if _, ok := streamFiles(cmd); ok {
		t.Error("a nil *os.File was taken for a file")
	}
	cmd = exec.Command("true")
	cmd.Stdin = bytes.NewReader(nil)
	if _, ok := streamFiles(cmd); ok {
		t.Error("a command with stdin to copy was taken for one without")
	}
}
