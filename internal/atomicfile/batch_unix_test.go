//go:build unix

package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestBatchIsNotBoundByOpenFiles writes a batch of many more files than the
// process may have open at once: a batch that kept its files open until
// Commit failed with "too many open files" on DVC projects of about 20,000
// steps (the usual limit) and far fewer under a low limit.
func TestBatchIsNotBoundByOpenFiles(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	low := lim
	low.Cur = 64
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim) })
	dir := t.TempDir()
	const n = 500
	var b Batch
	for i := range n {
		if err := b.WriteFile(filepath.Join(dir, fmt.Sprint(i)), []byte(fmt.Sprint(i)), 0o644); err != nil {
			t.Fatalf("file %d of %d: %v", i, n, err)
		}
	}
	if got, err := b.Commit(true); err != nil || got != n {
		t.Fatalf("commit: %d, %v; want %d", got, err, n)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		if data, err := os.ReadFile(filepath.Join(dir, fmt.Sprint(i))); err != nil || string(data) != fmt.Sprint(i) {
			t.Errorf("file %d: %q, %v", i, data, err)
		}
	}
}
