package runner

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// TestLocalCopySharesDataOnXFS: where the file system can share data
// between files (XFS, made with reflinks on), an output that must be
// copied (it has another name) shares its blocks with the command's file
// instead of taking new ones: the copy's copy_file_range(2) makes a
// reflink. The manifest still holds the file's sha256, read from it.
func TestLocalCopySharesDataOnXFS(t *testing.T) {
	mkfs := testtool.Need(t, "mkfs.xfs", "Debian package xfsprogs")
	if os.Geteuid() != 0 {
		testtool.Missing(t, "mounting a file system needs root")
	}
	mnt := mountXFS(t, mkfs)
	const size = 3*copyChunk + 12345
	big := randomFile(t, filepath.Join(mnt, "src", "big.bin"), size)
	before := freeBytes(t, mnt)
	st := newSpec(mnt, "ln", "../src/big.bin", "big.bin")
	st.Outputs = []spec.Output{{Name: "big", Path: "big.bin", Kind: spec.KindFile, Location: "store/big.bin"}}
	wantCode(t, execSpec(t, st), 0)
	got := readManifest(t, st.Manifest).Output("big").Files[0]
	if got.SHA256 != sha256Hex(big) || got.Size != size {
		t.Errorf("big in the manifest = %+v, want size %d and its sha256", got, size)
	}
	stored, err := os.ReadFile(filepath.Join(mnt, "store", "big.bin"))
	if err != nil || sha256Hex(stored) != sha256Hex(big) {
		t.Fatalf("the stored copy differs from the output (%v)", err)
	}
	// A copy that took blocks of its own would take the file's size.
	if used := before - freeBytes(t, mnt); used > size/8 {
		t.Errorf("publishing took %d bytes of a %d-byte output: the copy does not share the data", used, size)
	}
}

// mountXFS makes an XFS file system with reflinks in a file, mounts it
// and returns where; it is unmounted when t ends.
func mountXFS(t *testing.T, mkfs string) string {
	img := filepath.Join(t.TempDir(), "xfs.img")
	// XFS's smallest; the file stays sparse.
	if err := os.WriteFile(img, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(img, 300<<20); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(mkfs, "-q", "-m", "reflink=1", img).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.xfs: %v\n%s", err, out)
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-o", "loop", img, mnt).CombinedOutput(); err != nil {
		testtool.Missing(t, "mounting a loop device: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount: %v\n%s", err, out)
		}
	})
	return mnt
}

// freeBytes is the free space of the file system at dir, once everything
// written to it is on disk.
func freeBytes(t *testing.T, dir string) int64 {
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		t.Fatal(err)
	}
	var st unix.Statfs_t
	if err := unix.Fstatfs(int(f.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bfree) * st.Bsize
}
