package graph

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/lang"
)

// TestReadmeGraphIsCurrent keeps the README's Mermaid diagram of the bundled
// example equal to what `wurzel graph examples/rag-ingest` prints.
func TestReadmeGraphIsCurrent(t *testing.T) {
	root := filepath.Join("..")
	res := driver.Check(filepath.Join(root, "examples", "rag-ingest"), lang.Options{})
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		t.Fatalf("the example does not load: %v", res.Diagnostics)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## The example's graph")
	if !ok {
		t.Fatal(`README.md has no "## The example's graph" section`)
	}
	_, block, ok := strings.Cut(section, "```mermaid\n")
	if !ok {
		t.Fatal("the section has no mermaid block")
	}
	block, _, _ = strings.Cut(block, "```")
	if diff := cmp.Diff(string(RenderMermaid(res.Pipeline)), block); diff != "" {
		t.Errorf("README.md's graph is stale; paste the output of `wurzel graph examples/rag-ingest` (-want +got):\n%s", diff)
	}
}
