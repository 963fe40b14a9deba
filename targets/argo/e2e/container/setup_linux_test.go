package container

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResolveInFollowsLinksInsideTheRoot(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "run"), 0o755)
	os.MkdirAll(filepath.Join(root, "var"), 0o755)
	os.Symlink("/run", filepath.Join(root, "var", "run"))        // absolute: inside the root
	os.Symlink("../run", filepath.Join(root, "var", "relative")) // relative
	os.Symlink("/../../etc", filepath.Join(root, "escape"))      // cannot leave the root
	for path, want := range map[string]string{
		"/var/run/argo":      "/run/argo",
		"/var/relative/argo": "/run/argo",
		"/wurzel/work":       "/wurzel/work",
		"/escape/passwd":     "/etc/passwd",
	} {
		got, err := resolveIn(root, path)
		if err != nil {
			t.Fatal(err)
		}
		if got != filepath.Join(root, want) {
			t.Errorf("resolveIn(%s) = %s, want %s under the root", path, got, want)
		}
	}
	os.Symlink("loop", filepath.Join(root, "loop"))
	if _, err := resolveIn(root, "/loop/x"); err == nil {
		t.Error("a symbolic link loop was resolved")
	}
}
