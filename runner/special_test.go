//go:build unix

package runner

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/runner/spec"
)

// TestSpecialFilesRefused: a secret's key file, a producer's manifest or a
// file of its output that is a FIFO or a device is refused, not read: a
// FIFO would block the step forever, /dev/zero fill its memory.
func TestSpecialFilesRefused(t *testing.T) {
	dir := t.TempDir()
	mkfifo := func(p string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mkfifo(filepath.Join(dir, "fifo-secret", "token"))
	if err := os.MkdirAll(filepath.Join(dir, "dev-secret"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "dev-secret", "token")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "big-secret", "token"), strings.Repeat("x", maxKeyFile+1))
	mkfifo(filepath.Join(dir, "store", "fifo", "manifest.json"))
	// A committed output whose file was swapped for a FIFO afterwards.
	producer := newSpec(dir, "sh", "-c", "echo data > o.txt")
	producer.Step = "make"
	producer.Outputs = []spec.Output{{Name: "o", Path: "o.txt", Kind: spec.KindFile, Location: filepath.Join(dir, "store", "make", "o.txt")}}
	producer.Manifest = filepath.Join(dir, "store", "make", "manifest.json")
	wantCode(t, execSpec(t, producer), 0)
	if err := os.Remove(filepath.Join(dir, "store", "make", "o.txt")); err != nil {
		t.Fatal(err)
	}
	mkfifo(filepath.Join(dir, "store", "make", "o.txt"))

	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, tc := range []struct{ secret, want string }{
			{"fifo-secret", "is a FIFO, not a regular file"},
			{"dev-secret", "is a character device, not a regular file"},
			{"big-secret", "is larger than"},
		} {
			st := newSpec(dir, "true")
			st.Secrets = []spec.Secret{{Name: "s", Keys: []string{"token"}, Dir: filepath.Join(dir, tc.secret)}}
			wantCode(t, execSpec(t, st), CodeSecret, tc.want)
		}
		for _, ref := range []*spec.Ref{
			{Step: "make", Output: "o", Location: filepath.Join(dir, "store", "fifo", "o.txt"), Manifest: filepath.Join(dir, "store", "fifo", "manifest.json")},
			{Step: "make", Output: "o", Location: filepath.Join(dir, "store", "make", "o.txt"), Manifest: producer.Manifest},
		} {
			st := newSpec(dir, "true")
			st.Step = "use"
			st.Inputs = []spec.Input{{Name: "i", Path: "i.txt", From: ref}}
			wantCode(t, execSpec(t, st), CodeInput, "is a FIFO, not a regular file")
		}
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("a special file blocked the step")
	}
}

// TestSourceSpecialFileRefused: a local source that is a FIFO or a device
// is refused at once; go-getter would wait for a writer forever, or copy
// /dev/zero until the disk is full.
func TestSourceSpecialFileRefused(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.csv"), 0o600); err != nil {
		t.Fatal(err)
	}
	for src, want := range map[string]string{"./pipe.csv": "is a FIFO", "/dev/null": "is a character device"} {
		st := sourceSpec(dir, src, "data.csv", "file")
		st.Sources.TimeoutSeconds = 20 // a regression times out
		wantCode(t, execSpec(t, st), CodeInput, want, "not a regular file")
	}
}
