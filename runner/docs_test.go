package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/runner/spec"
)

// TestDocumentedSpecParses keeps the step spec example in docs/runtime.md
// valid.
func TestDocumentedSpecParses(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "runtime.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	_, after, ok := strings.Cut(doc, "## The step spec")
	if !ok {
		t.Fatal("docs/runtime.md has no step spec section")
	}
	_, block, ok := strings.Cut(after, "```json\n")
	if !ok {
		t.Fatal("the step spec section has no JSON example")
	}
	block, _, _ = strings.Cut(block, "```")
	st, err := spec.Parse([]byte(block))
	if err != nil {
		t.Fatalf("documented spec: %v", err)
	}
	if err := Validate(st); err != nil {
		t.Fatalf("documented spec: %v", err)
	}
}
