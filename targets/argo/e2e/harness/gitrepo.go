package harness

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// GitRepository makes a git repository of the files of dir, one commit
// tagged tag, and returns the files of its bare clone (path -> content),
// ready to be served as static files: git's dumb HTTP protocol needs no
// server-side git, only what `git update-server-info` writes.
func GitRepository(t testing.TB, dir, tag string) map[string][]byte {
	t.Helper()
	work := filepath.Join(t.TempDir(), "work")
	if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(t.TempDir(), "bare.git")
	// Fixed names and dates: the same files give the same commit.
	env := append(os.Environ(),
		"GIT_AUTHOR_NAME=wurzel e2e", "GIT_AUTHOR_EMAIL=e2e@wurzel.invalid", "GIT_AUTHOR_DATE=2024-01-01T00:00:00Z",
		"GIT_COMMITTER_NAME=wurzel e2e", "GIT_COMMITTER_EMAIL=e2e@wurzel.invalid", "GIT_COMMITTER_DATE=2024-01-01T00:00:00Z",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	for _, args := range [][]string{
		{"-C", work, "init", "-q", "-b", "main"},
		{"-C", work, "add", "-A"},
		{"-C", work, "commit", "-q", "-m", "seed lists"},
		{"-C", work, "tag", tag},
		{"clone", "-q", "--bare", work, bare},
		{"-C", bare, "update-server-info"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	files := map[string][]byte{}
	err := filepath.WalkDir(bare, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(bare, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
