//go:build unix

package local

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/ir"
)

// finishesWithin fails the test when f does not return within d: the
// regressions these tests guard against block forever.
func finishesWithin(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still blocked after %s", d)
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestSpecialFilesAreRefusedNotRead: a FIFO or a device among a source's
// files, as a watched file or as a secret's key file is refused when a run
// is planned; opening a FIFO would wait for a writer forever.
func TestSpecialFilesAreRefusedNotRead(t *testing.T) {
	dir := t.TempDir()
	mkfifo(t, filepath.Join(dir, "corpus", "pipe"))
	mkfifo(t, filepath.Join(dir, "s", "token"))
	finishesWithin(t, 10*time.Second, func() {
		for _, root := range []string{filepath.Join(dir, "corpus"), filepath.Join(dir, "corpus", "pipe"), "/dev/zero"} {
			if _, err := treeDigest(root); err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("treeDigest(%s) = %v, want a refusal", root, err)
			}
		}
		p := &ir.Pipeline{
			Name: "p", Dir: dir,
			Secrets: []ir.Secret{{Name: "s", Keys: []string{"token"}, Local: &ir.LocalSecret{Dir: "s"}}},
			Steps:   []ir.Step{{Name: "a", Secrets: []string{"s"}}},
		}
		if err := checkSecrets(p, nil); err == nil || !strings.Contains(err.Error(), "is a FIFO") {
			t.Errorf("checkSecrets = %v, want the FIFO refused", err)
		}
	})
}

// TestFailureDetailReadsTheTail: a step that wrote far more to stderr than
// anyone reads still has its last lines and the runner's error reported,
// without the whole log in memory.
func TestFailureDetailReadsTheTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stderr.log")
	var b bytes.Buffer
	for b.Len() < 3*maxDetail {
		b.WriteString("noise noise noise noise noise noise noise noise\n")
	}
	b.WriteString("the last line\n")
	b.WriteString(`{"level":"ERROR","msg":"step failed","error":"command exited with status 3"}` + "\n")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got := failureDetail(path, 2)
	if !strings.HasSuffix(got, "the last line\nwurzel step exec: command exited with status 3") {
		t.Errorf("failureDetail = %q", got)
	}
}
