package lang

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wurzel-dev/wurzel/internal/benchgen"
)

// seeds are the fuzz seeds and a generated pipeline.
func seeds(t *testing.T) []seedFile {
	out := append(seedFiles(), seedFile{"bench.wurzel.hcl", benchgen.Pipeline(benchgen.Fan, 30)})
	if len(out) < 40 {
		t.Fatalf("only %d seed files", len(out))
	}
	return out
}

// checkItemParse fails unless parsing src item by item gives what parsing
// it whole gives, whenever the item-by-item parse is used.
func checkItemParse(t *testing.T, name string, src []byte) (items bool) {
	t.Helper()
	p := parseSource("p.wurzel.hcl", src, nil)
	if p.unreadable || p.items == nil {
		return false
	}
	whole, diags := hclsyntax.ParseConfig(src, "p.wurzel.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: the items parsed without errors, the whole file with %v", name, diags)
	}
	if !reflect.DeepEqual(p.file.Body, whole.Body) {
		t.Fatalf("%s: the items' body differs from the whole file's", name)
	}
	// A line added at the top moves every item: their parses are
	// relocated from p, and must still be what parsing gives.
	moved := append([]byte("# an added line\n"), src...)
	q := parseSource("p.wurzel.hcl", moved, p)
	if q.unreadable || q.items == nil {
		return true
	}
	wholeMoved, _ := hclsyntax.ParseConfig(moved, "p.wurzel.hcl", hcl.InitialPos)
	if !reflect.DeepEqual(q.file.Body, wholeMoved.Body) {
		t.Fatalf("%s: the relocated items' body differs from the whole moved file's", name)
	}
	return true
}

// TestItemParseEqualsWholeParse parses every seed item by item and whole:
// the bodies must be identical, ranges included.
func TestItemParseEqualsWholeParse(t *testing.T) {
	itemised := 0
	for _, s := range seeds(t) {
		if strings.HasSuffix(s.name, ".json") {
			continue
		}
		if checkItemParse(t, s.name, s.data) {
			itemised++
		}
	}
	if itemised < 20 {
		t.Errorf("only %d files were parsed item by item", itemised)
	}
}

func FuzzItemParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		if !json {
			checkItemParse(t, "fuzz", src)
		}
	})
}

// TestCacheReusesUnchangedItems edits one step of a pipeline and checks that
// the items before it are reused, that the result equals a load without a
// cache, and that the file's parse is reused as a whole when nothing
// changed.
func TestCacheReusesUnchangedItems(t *testing.T) {
	dir := t.TempDir()
	src := benchgen.Pipeline(benchgen.Chain, 40)
	edited := bytes.Replace(src, []byte(`"step s00020"`), []byte(`"step s00020, edited"`), 1)
	cache := NewParseCache()
	opts := Options{Schema: language, Cache: cache}
	first := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": src}, opts)
	name := first.Pipeline.Files[0]
	before := cache.files[filepath.Join(dir, "p.wurzel.hcl")]
	if before == nil || before.items == nil {
		t.Fatalf("the file was not parsed item by item")
	}
	again := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": src}, opts)
	if cache.files[filepath.Join(dir, "p.wurzel.hcl")] != before {
		t.Errorf("an unchanged file was parsed again")
	}
	assertSameResult(t, again, first)

	res := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": edited}, opts)
	after := cache.files[filepath.Join(dir, "p.wurzel.hcl")]
	reused := 0
	for i, it := range after.items {
		if i < len(before.items) && it.body == before.items[i].body {
			reused++
		}
	}
	// The header items and the steps before s00020 are the same text at
	// the same place.
	if reused < 20 || reused >= len(after.items) {
		t.Errorf("%d of %d items reused", reused, len(after.items))
	}
	plain := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": edited}, Options{Schema: language})
	assertSameResult(t, res, plain)
	if res.Pipeline.Steps[20].Description != "step s00020, edited" {
		t.Errorf("the edit is not in the result: %q (%s)", res.Pipeline.Steps[20].Description, name)
	}
}

// TestCacheKeepsLoadsApart loads a pipeline whose expressions the budget
// instruments twice through one cache: a spent budget of the first load must
// not reach the second, and the parsed files must not change.
func TestCacheKeepsLoadsApart(t *testing.T) {
	dir := t.TempDir()
	src := []byte(hostilePipelineForCache)
	cache := NewParseCache()
	opts := Options{Schema: language, Cache: cache}
	first := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": src}, opts)
	second := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": src}, opts)
	assertSameResult(t, second, first)
	if !first.Diagnostics.HasErrors() || !strings.Contains(first.Diagnostics.Error(), "Evaluation budget exceeded") {
		t.Fatalf("the pipeline does not exceed the budget: %v", first.Diagnostics)
	}
	whole, _ := hclsyntax.ParseConfig(src, filepath.Join(dir, "p.wurzel.hcl"), hcl.InitialPos)
	if !reflect.DeepEqual(cache.files[filepath.Join(dir, "p.wurzel.hcl")].file.Body, whole.Body) {
		t.Errorf("loading changed the parsed file")
	}
}

const hostilePipelineForCache = `pipeline "p" {
  image = "alpine:3"
}

locals {
  big = [for i in range(1000) : [for j in range(1000) : [for k in range(100) : k]]]
}

step "s" {
  command = ["echo", length(local.big)]
}
`

// TestCacheDropsRemovedFiles checks that a file no longer loaded from a
// directory leaves the cache.
func TestCacheDropsRemovedFiles(t *testing.T) {
	dir := t.TempDir()
	cache := NewParseCache()
	opts := Options{Schema: language, Cache: cache}
	LoadSources(dir, map[string][]byte{"a.wurzel.hcl": []byte(hostilePipeline), "b.wurzel.hcl": []byte("# b\n")}, opts)
	LoadSources(dir, map[string][]byte{"a.wurzel.hcl": []byte(hostilePipeline)}, opts)
	if _, ok := cache.files[filepath.Join(dir, "b.wurzel.hcl")]; ok || len(cache.files) != 1 {
		t.Errorf("cache holds %d files", len(cache.files))
	}
}

const hostilePipeline = "pipeline \"p\" {\n  image = \"alpine:3\"\n}\n"

// TestCacheMemoryDoesNotGrow edits a pipeline many times through one cache:
// the heap after the last edit must be close to the heap after the first.
func TestCacheMemoryDoesNotGrow(t *testing.T) {
	dir := t.TempDir()
	src := benchgen.Pipeline(benchgen.Chain, 300)
	cache := NewParseCache()
	opts := Options{Schema: language, Cache: cache}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var first uint64
	for i := range 40 {
		edited := bytes.Replace(src, []byte(`"step s00150"`), []byte(fmt.Sprintf(`"step s00150 %d"`, i)), 1)
		res := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": edited}, opts)
		if res.Pipeline == nil {
			t.Fatal(res.Diagnostics)
		}
		if i == 4 {
			first = heap()
		}
	}
	if last := heap(); last > first+first/4 {
		t.Errorf("the heap grew from %d to %d bytes over 35 edits", first, last)
	}
}

func assertSameResult(t *testing.T, got, want *Result) {
	t.Helper()
	if g, w := fmt.Sprint(got.Diagnostics), fmt.Sprint(want.Diagnostics); g != w {
		t.Fatalf("diagnostics differ:\n%s\nwant\n%s", g, w)
	}
	if !reflect.DeepEqual(got.Pipeline, want.Pipeline) {
		t.Fatalf("pipelines differ")
	}
	if len(got.Decls) != len(want.Decls) || len(got.Refs) != len(want.Refs) {
		t.Fatalf("declarations or references differ")
	}
}
