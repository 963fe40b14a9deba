package lsp

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets"
)

// chain is a pipeline of n steps, each reading the previous one's output,
// with settings, resources and a retry so that every step exercises the
// checker.
func chain(n int) string {
	var b strings.Builder
	b.WriteString("pipeline \"bench\" {\n  image = \"busybox:1.36\"\n}\n\n")
	b.WriteString("variable \"size\" {\n  type    = number\n  default = 10\n}\n\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "step \"s%d\" {\n  command  = [\"sh\", \"-c\", \"work %d\"]\n  settings = { size = var.size, index = %d }\n", i, i, i)
		if i > 0 {
			fmt.Fprintf(&b, "  input \"in\" {\n    from = step.s%d.output.out\n    type = \"blob\"\n  }\n", i-1)
		}
		b.WriteString("  output \"out\" {\n    path = \"out/data\"\n    type = \"blob\"\n  }\n")
		b.WriteString("  resources {\n    cpu    = \"500m\"\n    memory = \"1Gi\"\n  }\n")
		b.WriteString("  retry {\n    attempts = 2\n    backoff  = \"10s\"\n  }\n}\n\n")
	}
	return b.String()
}

// BenchmarkRecheck200 measures what one keystroke costs in a 200-step
// pipeline: apply a full-text change to the open document and re-check its
// directory with every target's checks, building the notifications.
// Target: under 30 ms.
func BenchmarkRecheck200(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "pipeline.wurzel.hcl")
	uri := pathToURI(path)
	ws := newWorkspace(lang.Options{}, targets.All())
	src := chain(200)
	edited := strings.Replace(src, "work 100", "work 100 edited", 1)
	ws.open(uri, path, []byte(src))
	if pubs := ws.check(dir); len(pubs) != 1 || len(pubs[0].Diagnostics) != 0 {
		b.Fatalf("the benchmark pipeline is not clean: %+v", pubs)
	}
	texts := [][]byte{[]byte(edited), []byte(src)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ws.applyChange(uri, path, protocol.TextDocumentContentChangeEvent{
			Range: &protocol.Range{Start: protocol.Position{}, End: ws.docs[path].text.end()},
			Text:  string(texts[i%2]),
		})
		ws.check(dir)
	}
}

// BenchmarkParse200 is the floor under BenchmarkRecheck200: hclsyntax's
// parse alone of the same source, to read the re-check's cost against on a
// busy machine.
func BenchmarkParse200(b *testing.B) {
	src := []byte(chain(200))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := hclsyntax.ParseConfig(src, "pipeline.wurzel.hcl", hcl.InitialPos); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkCheckSources200 is the check alone, without the server's own
// work (collecting sources, converting positions, building notifications),
// to show what the server adds to it.
func BenchmarkCheckSources200(b *testing.B) {
	files := map[string][]byte{"pipeline.wurzel.hcl": []byte(chain(200))}
	dir := b.TempDir()
	all := targets.All()
	b.ReportAllocs()
	for b.Loop() {
		if res := driver.CheckSources(dir, files, lang.Options{}, all...); res.Diagnostics.HasErrors() {
			b.Fatal(res.Diagnostics)
		}
	}
}
