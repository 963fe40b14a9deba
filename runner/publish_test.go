package runner

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/gwtest"
	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/s3store"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// wantPublished checks that the manifest's output name lists exactly the
// files under root in the store, with their true sizes and sha256.
func wantPublished(t *testing.T, m *manifest.Manifest, name, root string) {
	t.Helper()
	o := m.Output(name)
	if o == nil {
		t.Fatalf("output %q missing from the manifest", name)
	}
	_, files, err := manifest.Describe(root)
	if err != nil {
		t.Fatalf("output %q in the store: %v", name, err)
	}
	if fmt.Sprint(files) != fmt.Sprint(o.Files) {
		t.Fatalf("output %q: manifest lists %v, the store holds %v", name, o.Files, files)
	}
}

// TestLocalPublishCopiesLinkedOutputs: outputs with another name (hard
// links to the step's source data) are copied, each file hashed as it is
// copied, large ones (more than a copy chunk) included, and stay where the
// command left them.
func TestLocalPublishCopiesLinkedOutputs(t *testing.T) {
	dir := t.TempDir()
	big := randomFile(t, filepath.Join(dir, "src", "big.bin"), 3*copyChunk+12345)
	for i := range 40 {
		writeFile(t, filepath.Join(dir, "src", "tree", fmt.Sprintf("d%d", i%3), fmt.Sprintf("f%02d", i)), strings.Repeat("x", i))
	}
	randomFile(t, filepath.Join(dir, "src", "tree", "large.bin"), copyChunk+1)
	st := newSpec(dir, "sh", "-c", `ln ../src/big.bin big.bin && cp -rl ../src/tree tree`)
	st.Outputs = []spec.Output{
		{Name: "big", Path: "big.bin", Kind: spec.KindFile, Location: "store/big.bin"},
		{Name: "tree", Path: "tree", Kind: spec.KindDir, Location: "store/tree"},
	}
	wantCode(t, execSpec(t, st), 0)
	m := readManifest(t, st.Manifest)
	wantPublished(t, m, "big", filepath.Join(dir, "store", "big.bin"))
	wantPublished(t, m, "tree", filepath.Join(dir, "store", "tree"))
	if got := m.Output("big").Files[0]; got.SHA256 != sha256Hex(big) || got.Size != int64(len(big)) {
		t.Errorf("big in the manifest = %+v", got)
	}
	if len(m.Output("tree").Files) != 41 {
		t.Errorf("tree lists %d files, want 41", len(m.Output("tree").Files))
	}
	for _, p := range []string{"big.bin", "tree/d0/f00", "tree/large.bin"} {
		if !exists(filepath.Join(dir, "work", p)) {
			t.Errorf("copied output file %s is gone from the work directory", p)
		}
	}
	assertNoTemporaries(t, filepath.Join(dir, "store"))
}

// TestLocalPublishMovesFreshOutputs: outputs only the command made are
// moved to the store, empty directories included, and replace the previous
// version.
func TestLocalPublishMovesFreshOutputs(t *testing.T) {
	dir := t.TempDir()
	for round, content := range []string{"first", "second"} {
		st := newSpec(dir, "sh", "-c", fmt.Sprintf(`printf %s > out.txt && mkdir -p d/sub d/empty && printf %s > d/sub/a`, content, content))
		st.Outputs = []spec.Output{
			{Name: "out", Path: "out.txt", Kind: spec.KindFile, Location: "store/out.txt"},
			{Name: "d", Path: "d", Kind: spec.KindDir, Location: "store/d"},
		}
		wantCode(t, execSpec(t, st), 0)
		m := readManifest(t, st.Manifest)
		wantPublished(t, m, "out", filepath.Join(dir, "store", "out.txt"))
		wantPublished(t, m, "d", filepath.Join(dir, "store", "d"))
		if got := readFile(t, filepath.Join(dir, "store", "d", "sub", "a")); got != content {
			t.Errorf("round %d: d/sub/a = %q", round, got)
		}
		if !exists(filepath.Join(dir, "store", "d", "empty")) {
			t.Errorf("round %d: the empty directory did not travel", round)
		}
		if exists(filepath.Join(dir, "work", "out.txt")) || exists(filepath.Join(dir, "work", "d")) {
			t.Errorf("round %d: moved outputs are still in the work directory", round)
		}
		assertNoTemporaries(t, filepath.Join(dir, "store"))
	}
}

// TestLocalPublishNestedOutputs: an output inside another is published as
// it is, not taken along by the outer one.
func TestLocalPublishNestedOutputs(t *testing.T) {
	dir := t.TempDir()
	st := newSpec(dir, "sh", "-c", `mkdir -p out && echo a > out/a.txt && echo b > out/b.txt`)
	st.Outputs = []spec.Output{
		{Name: "all", Path: "out", Kind: spec.KindDir, Location: "store/all"},
		{Name: "a", Path: "out/a.txt", Kind: spec.KindFile, Location: "store/a.txt"},
	}
	wantCode(t, execSpec(t, st), 0)
	m := readManifest(t, st.Manifest)
	wantPublished(t, m, "all", filepath.Join(dir, "store", "all"))
	wantPublished(t, m, "a", filepath.Join(dir, "store", "a.txt"))
	if got := readFile(t, filepath.Join(dir, "store", "a.txt")); got != "a\n" {
		t.Errorf("a.txt = %q", got)
	}
}

func assertNoTemporaries(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary %s left in %s", e.Name(), dir)
		}
	}
}

// TestCopyHashing: the copy and the hash agree with the source at the
// sizes where copyHashing changes its way.
func TestCopyHashing(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, copyChunk - 1, copyChunk, copyChunk + 1, 2*copyChunk + 7} {
		src := filepath.Join(dir, fmt.Sprint("src-", size))
		data := randomFile(t, src, size)
		for _, syncDst := range []bool{false, true} {
			dst := filepath.Join(dir, fmt.Sprintf("dst-%d-%v", size, syncDst))
			f, err := copyHashing(src, dst, syncDst)
			if err != nil {
				t.Fatalf("size %d: %v", size, err)
			}
			if f.Size != int64(size) || f.SHA256 != sha256Hex(data) {
				t.Errorf("size %d: got %+v", size, f)
			}
			if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
				t.Errorf("size %d: the copy differs", size)
			}
		}
	}
	if _, err := copyHashing(filepath.Join(dir, "src-1"), filepath.Join(dir, "dst-1-true"), false); err == nil {
		t.Error("copying over an existing file must fail")
	}
}

// TestCopyLargeChangedFile: a large file whose size is not the one
// copyHashing saw (it grew or shrank after the stat, while it was copied)
// fails the copy instead of giving a manifest entry that does not
// describe it.
func TestCopyLargeChangedFile(t *testing.T) {
	dir := t.TempDir()
	const size = copyChunk + 5
	src := filepath.Join(dir, "src")
	randomFile(t, src, size)
	for _, seen := range []int64{size - 1, size + 1} {
		in, err := os.Open(src)
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(filepath.Join(dir, fmt.Sprint("dst-", seen)))
		if err != nil {
			t.Fatal(err)
		}
		_, err = copyLarge(out, in, seen, false)
		in.Close()
		out.Close()
		if err == nil || !strings.Contains(err.Error(), "changed while it was copied") {
			t.Errorf("%d bytes seen, %d copied: %v, want an error saying the file changed", seen, int64(size), err)
		}
	}
}

// TestS3PublishManyFiles: a directory output of more files than are sent
// at once, one of them multipart, arrives whole and as the manifest says.
func TestS3PublishManyFiles(t *testing.T) {
	gw := gwtest.Start(t)
	bucket := gw.CreateBucket(t, "wurzel")
	dir := t.TempDir()
	randomFile(t, filepath.Join(dir, "src", "large.bin"), s3store.PartSize+3)
	st := newSpec(dir, "sh", "-c", `mkdir -p d && for i in $(seq 1 50); do echo $i > d/f$i; done && cp ../src/large.bin d/`)
	st.Outputs = []spec.Output{{Name: "d", Path: "d", Kind: spec.KindDir, Location: "s3://wurzel/p/d"}}
	st.Manifest = "s3://wurzel/p/manifest.json"
	wantCode(t, execSpec(t, st, withS3(gw.Endpoint, 3)), 0)
	m, err := manifest.Parse([]byte(readFile(t, gw.ObjectPath(bucket, "p/manifest.json"))))
	if err != nil {
		t.Fatal(err)
	}
	wantPublished(t, m, "d", gw.ObjectPath(bucket, "p/d"))
}
