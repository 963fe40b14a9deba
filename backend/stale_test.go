package backend

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

type owningTarget struct{ patterns []string }

func (owningTarget) Name() string                       { return "owning" }
func (owningTarget) Extensions() []schema.Extension     { return nil }
func (owningTarget) Check(*ir.Pipeline) []ir.Diagnostic { return nil }
func (owningTarget) Generate(*ir.Pipeline, GenerateOptions) ([]File, error) {
	return nil, nil
}
func (t owningTarget) OwnedFiles() []string { return t.patterns }

type plainTarget struct{ owningTarget }

func (plainTarget) OwnedFiles() {} // not a FileOwner: a different signature

func TestStaleFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"specs/a.json", "specs/old.json", "specs/notes.txt", "specs/sub/deep.json", "other.json"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "specs", "dir.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	generated := []File{{Path: "specs/a.json"}, {Path: "specs/new.json"}}
	got, err := StaleFiles(dir, owningTarget{patterns: []string{"specs/*.json"}}, generated)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"specs/old.json"}; !reflect.DeepEqual(got, want) {
		t.Errorf("stale = %q, want %q", got, want)
	}
	if got, _ := StaleFiles(dir, plainTarget{}, generated); got != nil {
		t.Errorf("a target that owns nothing has stale files %q", got)
	}
}
