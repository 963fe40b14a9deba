package lsp

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/benchpair"
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

// BenchmarkRecheck200 measures what one pause in typing costs in a 200-step
// pipeline: apply a full-text change to the open document and re-check its
// directory with every target's checks, building the notifications. The
// edit is near the top, in the middle or near the end of the file (at step
// 10, 100 or 190): the parse of the items before it is reused. Each check
// is measured against the peer it must keep up with, the hclsyntax parse
// of the changed file, the two in turn (x-parse); the target is 1.2.
func BenchmarkRecheck200(b *testing.B) {
	for _, at := range []int{10, 100, 190} {
		b.Run(fmt.Sprintf("edit-at-step-%d", at), func(b *testing.B) {
			dir := b.TempDir()
			path := filepath.Join(dir, "pipeline.wurzel.hcl")
			uri := pathToURI(path)
			ws := newWorkspace(lang.Options{}, targets.All())
			src := chain(200)
			edited := strings.Replace(src, fmt.Sprintf("work %d\"", at), fmt.Sprintf("work %d edited\"", at), 1)
			ws.open(uri, path, []byte(src))
			if pubs := ws.check(dir); len(pubs) != 1 || len(pubs[0].Diagnostics) != 0 {
				b.Fatalf("the benchmark pipeline is not clean: %+v", pubs)
			}
			texts := [][]byte{[]byte(edited), []byte(src)}
			var pair benchpair.Pair
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				text := texts[i%2]
				pair.Peer(func() {
					if _, diags := hclsyntax.ParseConfig(text, path, hcl.InitialPos); diags.HasErrors() {
						b.Fatal(diags)
					}
				})
				pair.Subject(func() {
					ws.applyChange(uri, path, protocol.TextDocumentContentChangeEvent{
						Range: &protocol.Range{Start: protocol.Position{}, End: ws.docs[path].text.end()},
						Text:  string(text),
					})
					ws.check(dir)
				})
			}
			pair.Report(b, "x-parse")
		})
	}
}

// BenchmarkCompletion measures attribute completion at a body line of a
// step in the middle of pipelines of 1,000 and 5,000 steps, through the
// server: with nothing typed since the last check, and right after an edit
// of the same step (a keystroke the check has not seen; completion does
// not wait for it). The target is 10 ms whatever the file's size.
func BenchmarkCompletion(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		for _, afterEdit := range []bool{false, true} {
			name := fmt.Sprintf("%d-idle", n)
			if afterEdit {
				name = fmt.Sprintf("%d-after-edit", n)
			}
			b.Run(name, func(b *testing.B) {
				benchCompletion(b, n, afterEdit)
			})
		}
	}
}

func benchCompletion(b *testing.B, n int, afterEdit bool) {
	dir := b.TempDir()
	path := filepath.Join(dir, "pipeline.wurzel.hcl")
	uri := pathToURI(path)
	s := New(Options{Debounce: time.Hour, Targets: targets.All()})
	marker := fmt.Sprintf("work %d\"]\n", n/2)
	src := strings.Replace(chain(n), marker, marker+"  \n", 1)
	at := strings.Index(src, marker) + len(marker) + 2
	pos := protocol.Position{Line: protocol.UInteger(strings.Count(src[:at], "\n")), Character: 2}
	ctx := &glsp.Context{Notify: func(string, any) {}}
	if err := s.didOpen(ctx, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uri, Text: src}}); err != nil {
		b.Fatal(err)
	}
	complete := func() {
		res, err := s.completion(ctx, &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: pos}})
		if err != nil {
			b.Fatal(err)
		}
		if items := res.(protocol.CompletionList).Items; len(items) == 0 {
			b.Fatal("nothing offered")
		}
	}
	complete()
	// Typing a letter and deleting it again, in the step before the
	// completion's line.
	typed := strings.Replace(src, marker, fmt.Sprintf("work %dx\"]\n", n/2), 1)
	texts := []string{typed, src}
	var changes, completions []time.Duration
	for i := 0; b.Loop(); i++ {
		if afterEdit {
			t0 := time.Now()
			err := s.didChange(ctx, &protocol.DidChangeTextDocumentParams{
				TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}},
				ContentChanges: []any{protocol.TextDocumentContentChangeEventWhole{Text: texts[i%2]}},
			})
			if err != nil {
				b.Fatal(err)
			}
			changes = append(changes, time.Since(t0))
		}
		t0 := time.Now()
		complete()
		completions = append(completions, time.Since(t0))
	}
	b.ReportMetric(float64(benchpair.Median(completions))/1e6, "completion-ms")
	if afterEdit {
		b.ReportMetric(float64(benchpair.Median(changes))/1e6, "change-ms")
	}
	s.mu.Lock()
	for _, t := range s.timers {
		t.Stop()
	}
	s.mu.Unlock()
}

// BenchmarkEditMemory edits a 5,000-step pipeline 100 times all over the
// file, checking after every fourth edit as a pause in typing would, and
// reports the live heap after the first check and after the last
// (heap-growth is their ratio): it must not grow with the number of edits.
func BenchmarkEditMemory(b *testing.B) {
	for b.Loop() {
		first, last := editHeap(b, 5000, 100, 4)
		b.ReportMetric(float64(first)/(1<<20), "first-MiB")
		b.ReportMetric(float64(last)/(1<<20), "last-MiB")
		b.ReportMetric(float64(last)/float64(first), "heap-growth")
	}
}

// editHeap edits an n-step pipeline, checking it after every checkEvery-th
// edit, and returns the live heap after the first check and after the
// last.
func editHeap(tb testing.TB, n, edits, checkEvery int) (first, last uint64) {
	dir := tb.TempDir()
	path := filepath.Join(dir, "pipeline.wurzel.hcl")
	uri := pathToURI(path)
	ws := newWorkspace(lang.Options{}, targets.All())
	src := chain(n)
	ws.open(uri, path, []byte(src))
	ws.check(dir)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for i := range edits {
		step := (i * 7919) % n // all over the file
		text := strings.Replace(src, fmt.Sprintf("work %d\"", step), fmt.Sprintf("work %d edit %d\"", step, i), 1)
		ws.open(uri, path, []byte(text))
		if i%checkEvery != 0 {
			continue
		}
		if pubs := ws.check(dir); len(pubs) != 1 || len(pubs[0].Diagnostics) != 0 {
			tb.Fatalf("edit %d: %+v", i, pubs)
		}
		if i == 0 {
			first = heap()
		}
	}
	ws.check(dir)
	last = heap()
	runtime.KeepAlive(ws)
	return first, last
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
