package testcase

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// Case is one test pipeline on disk, with the variable values it is loaded
// with (the fields of lang.Options; this package does not import lang so
// that the front end's own tests can use it).
type Case struct {
	// Name is the pipeline's path relative to the repository root.
	Name     string
	Dir      string
	Vars     []string
	VarFiles []string
	Environ  []string
	// Expect holds a txtar case's expectation sections by name.
	Expect map[string][]byte
}

// expectations are the sections of a txtar case that are not pipeline files.
var expectations = map[string]bool{"ir.json": true, "diagnostics": true}

// Extract writes the pipeline files of the txtar case at path into a fresh
// temporary directory and reads its options: lines of "var NAME=VALUE",
// "var-file FILE" (relative to the case's directory) and "env KEY=VALUE".
func Extract(tb testing.TB, path string) Case {
	tb.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	c := Case{Name: filepath.ToSlash(path), Dir: tb.TempDir(), Expect: map[string][]byte{}}
	for _, f := range ar.Files {
		switch {
		case expectations[f.Name]:
			c.Expect[f.Name] = f.Data
		case f.Name == "options":
			if err := c.parseOptions(f.Data); err != nil {
				tb.Fatalf("%s: %v", path, err)
			}
		default:
			writeFile(tb, c.Dir, f)
		}
	}
	return c
}

func writeFile(tb testing.TB, dir string, f txtar.File) {
	tb.Helper()
	name := filepath.Join(dir, filepath.FromSlash(f.Name))
	if !strings.HasPrefix(name, dir+string(filepath.Separator)) {
		tb.Fatalf("file %q leaves the case's directory", f.Name)
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(name, f.Data, 0o644); err != nil {
		tb.Fatal(err)
	}
}

func (c *Case) parseOptions(data []byte) error {
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		kind, val, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch kind {
		case "var":
			c.Vars = append(c.Vars, val)
		case "var-file":
			c.VarFiles = append(c.VarFiles, filepath.Join(c.Dir, val))
		case "env":
			c.Environ = append(c.Environ, val)
		case "":
		default:
			return fmt.Errorf("options: unknown line %q", line)
		}
	}
	return nil
}

// Repository returns every valid pipeline the repository at root ships: each
// directory under examples/ and each extracted case of testdata/valid,
// sorted by name. It fails the test when either set is empty, so that a
// moved directory cannot make a test pass by testing nothing.
func Repository(tb testing.TB, root string) []Case {
	tb.Helper()
	var cases []Case
	examples, _ := filepath.Glob(filepath.Join(root, "examples", "*"))
	for _, e := range examples {
		if fi, err := os.Stat(e); err == nil && fi.IsDir() {
			cases = append(cases, Case{Name: "examples/" + filepath.Base(e), Dir: e})
		}
	}
	archives, _ := filepath.Glob(filepath.Join(root, "testdata", "valid", "*.txtar"))
	if len(cases) == 0 || len(archives) == 0 {
		tb.Fatalf("found %d examples and %d valid cases under %s; expected some of each", len(cases), len(archives), root)
	}
	for _, a := range archives {
		c := Extract(tb, a)
		c.Name = "testdata/valid/" + filepath.Base(a)
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	return cases
}
