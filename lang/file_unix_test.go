//go:build unix

package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	"golang.org/x/sys/unix"
)

// TestFileReadsRegularFilesOnly: file() refuses devices, FIFOs (which
// would block forever) and directories, reads through its limit where the
// size a file reports says nothing (/proc), and refuses larger files.
func TestFileReadsRegularFilesOnly(t *testing.T) {
	dir := t.TempDir()
	if err := unix.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, maxFileSize+1)
	for i := range big {
		big[i] = 'x'
	}
	if err := os.WriteFile(filepath.Join(dir, "big.txt"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero-link")); err != nil {
		t.Fatal(err)
	}
	fn := fileFunc(dir, nil)
	for path, want := range map[string]string{
		"fifo":      "a named pipe",
		"/dev/zero": "a character device",
		"zero-link": "a character device",
		".":         "a directory",
		"big.txt":   "larger than 4194304 bytes",
		"missing":   "no such file",
	} {
		_, err := fn.Call([]cty.Value{cty.StringVal(path)})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("file(%q): %v, want %q", path, err, want)
		}
	}
	if v, err := fn.Call([]cty.Value{cty.StringVal("ok.txt")}); err != nil || v.AsString() != "hello\n" {
		t.Errorf("file(ok.txt) = %#v, %v", v, err)
	}
	// /proc files say they are empty; the content is read all the same,
	// through the limit.
	if _, err := os.Stat("/proc/self/status"); err == nil {
		v, err := fn.Call([]cty.Value{cty.StringVal("/proc/self/status")})
		if err != nil || !strings.Contains(v.AsString(), "Name:") {
			t.Errorf("file(/proc/self/status) = %#v, %v", v, err)
		}
	}
}
