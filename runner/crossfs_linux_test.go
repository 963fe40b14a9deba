package runner

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// TestLocalCopyAcrossFileSystems: outputs made on one file system (a
// tmpfs, as a work directory in memory is) and stored on another cannot
// be moved, and copy_file_range(2) cannot copy between them: the runner
// copies them another way and hashes what it copied, a large file alone
// and inside a directory.
func TestLocalCopyAcrossFileSystems(t *testing.T) {
	if os.Geteuid() != 0 {
		testtool.Missing(t, "mounting a file system needs root")
	}
	mnt := mountTmpfs(t)
	const size = 3*copyChunk + 12345
	big := randomFile(t, filepath.Join(mnt, "src", "big.bin"), size)
	small := randomFile(t, filepath.Join(mnt, "src", "small.bin"), 100)
	st := newSpec(mnt, "sh", "-c", "cp ../src/big.bin big.bin && mkdir -p tree && cp ../src/big.bin ../src/small.bin tree/")
	store := t.TempDir()
	st.Outputs = []spec.Output{
		{Name: "big", Path: "big.bin", Kind: spec.KindFile, Location: filepath.Join(store, "big.bin")},
		{Name: "tree", Path: "tree", Kind: spec.KindDir, Location: filepath.Join(store, "tree")},
	}
	wantCode(t, execSpec(t, st), 0)
	m := readManifest(t, st.Manifest)
	check := func(what string, got manifest.File, ok bool, stored string, want []byte) {
		t.Helper()
		if !ok || got.Size != int64(len(want)) || got.SHA256 != sha256Hex(want) {
			t.Errorf("%s in the manifest = %+v (found: %v), want size %d and its sha256", what, got, ok, len(want))
		}
		if data, err := os.ReadFile(filepath.Join(store, filepath.FromSlash(stored))); err != nil || !bytes.Equal(data, want) {
			t.Errorf("the stored %s differs from the output (%v)", stored, err)
		}
	}
	files := m.Output("big").Files
	check("big", files[0], len(files) == 1, "big.bin", big)
	inTree := map[string]manifest.File{}
	for _, f := range m.Output("tree").Files {
		inTree[f.Path] = f
	}
	f, ok := inTree["big.bin"]
	check("tree/big.bin", f, ok, "tree/big.bin", big)
	f, ok = inTree["small.bin"]
	check("tree/small.bin", f, ok, "tree/small.bin", small)
}

// mountTmpfs mounts a tmpfs and returns where; it is unmounted when t
// ends.
func mountTmpfs(t *testing.T) string {
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=128m", "tmpfs", mnt).CombinedOutput(); err != nil {
		testtool.Missing(t, "mounting a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount: %v\n%s", err, out)
		}
	})
	return mnt
}
