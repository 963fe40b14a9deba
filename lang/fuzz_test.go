package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// FuzzLoad feeds arbitrary sources, in both syntaxes, through the whole front
// end. Nothing may panic; a load without errors must yield an IR, and
// diagnostics must come sorted.
func FuzzLoad(f *testing.F) {
	// A hundredth of the budget: an input that exhausts it takes the same
	// paths, in milliseconds rather than the seconds that coverage
	// instrumentation would make the Go fuzzer call a hung worker.
	defer func(l [3]int64) { budgetLimits = l }(budgetLimits)
	for i := range budgetLimits {
		budgetLimits[i] /= 100
	}
	addSeeds(f)
	dir := f.TempDir()
	os.WriteFile(filepath.Join(dir, "x.py"), []byte("print('x')\n"), 0o644)
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		name := "p.wurzel.hcl"
		if json {
			name += ".json"
		}
		res := LoadSources(dir, map[string][]byte{name: src}, Options{Schema: language})
		if !res.Diagnostics.HasErrors() && res.Pipeline == nil {
			t.Fatalf("no errors but no IR")
		}
		if res.Diagnostics.HasErrors() && res.Pipeline != nil {
			t.Fatalf("errors but an IR")
		}
		for i := 1; i < len(res.Diagnostics); i++ {
			a, b := res.Diagnostics[i-1], res.Diagnostics[i]
			if a.Subject != nil && b.Subject != nil && a.Subject.Filename == b.Subject.Filename && a.Subject.Start.Byte > b.Subject.Start.Byte {
				t.Fatalf("diagnostics not sorted")
			}
		}
	})
}

// addSeeds adds every fixture, golden pipeline and example as a seed.
func addSeeds(f *testing.F) {
	for _, s := range seedFiles() {
		f.Add(s.data, strings.HasSuffix(s.name, ".json"))
	}
}

type seedFile struct {
	name string
	data []byte
}

// seedFiles are every fixture, golden pipeline and example.
func seedFiles() []seedFile {
	var out []seedFile
	add := func(name string, data []byte) {
		out = append(out, seedFile{name, data})
	}
	filepath.WalkDir("../testdata/invalid", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && IsPipelineFile(p) {
			if data, err := os.ReadFile(p); err == nil {
				add(p, data)
			}
		}
		return nil
	})
	archives, _ := filepath.Glob("../testdata/valid/*.txtar")
	for _, a := range archives {
		ar, err := txtar.ParseFile(a)
		if err != nil {
			continue
		}
		for _, file := range ar.Files {
			if IsPipelineFile(file.Name) {
				add(a+"/"+file.Name, file.Data)
			}
		}
	}
	examples, _ := filepath.Glob("../examples/*/*.wurzel.hcl*")
	for _, e := range examples {
		if data, err := os.ReadFile(e); err == nil {
			add(e, data)
		}
	}
	return out
}
