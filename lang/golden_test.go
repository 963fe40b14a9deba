package lang

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/wurzel-dev/wurzel/internal/testcase"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/valid")

// TestValidGolden loads each testdata/valid/*.txtar archive (pipeline files,
// helper files, an optional "options" file) and compares the IR dump and the
// warnings with the archive's ir.json and diagnostics sections.
//
// options lines: "var NAME=VALUE", "var-file FILE" (relative to the archive
// directory), "env KEY=VALUE".
func TestValidGolden(t *testing.T) {
	archives, err := filepath.Glob("../testdata/valid/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no golden archives: %v", err)
	}
	for _, path := range archives {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c := testcase.Extract(t, path)
			dir, opts, golden := c.Dir, optionsOf(c), c.Expect
			res := Load(dir, opts)
			diags := []byte(strings.ReplaceAll(dump(res.Diagnostics), dir+string(filepath.Separator), "") + "\n")
			if res.Diagnostics.HasErrors() || res.Pipeline == nil {
				t.Fatalf("pipeline does not load:\n%s", diags)
			}
			got := irDump(t, res, dir)
			// The same input must give the same output.
			if again := irDump(t, Load(dir, opts), dir); !bytes.Equal(got, again) {
				t.Fatalf("loading twice gives different IR")
			}
			if *update {
				ar, err := txtar.ParseFile(path)
				if err != nil {
					t.Fatal(err)
				}
				setSection(ar, "ir.json", got)
				setSection(ar, "diagnostics", diags)
				if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := golden["ir.json"]; !bytes.Equal(got, want) {
				t.Errorf("IR differs from ir.json (run go test ./lang -run TestValidGolden -update):\n%s", lineDiff(string(want), string(got)))
			}
			if want := golden["diagnostics"]; !bytes.Equal(diags, want) {
				t.Errorf("diagnostics differ:\nwant:\n%s\ngot:\n%s", want, diags)
			}
		})
	}
}

// optionsOf turns a test case's variable values into Options.
func optionsOf(c testcase.Case) Options {
	return Options{Vars: c.Vars, VarFiles: c.VarFiles, Environ: c.Environ, Schema: language}
}

func setSection(ar *txtar.Archive, name string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
}

// irDump renders the IR as indented JSON without the machine-specific Dir,
// ranges shortened to "file:line:col-line:col" relative to dir.
func irDump(t *testing.T, res *Result, dir string) []byte {
	t.Helper()
	p := *res.Pipeline
	p.Dir = ""
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	v = shortenRanges(v, dir+string(filepath.Separator))
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

func shortenRanges(v any, prefix string) any {
	switch v := v.(type) {
	case map[string]any:
		if f, ok := v["filename"].(string); ok && len(v) == 3 {
			s, _ := v["start"].(map[string]any)
			e, _ := v["end"].(map[string]any)
			return fmt.Sprintf("%s:%v:%v-%v:%v", strings.TrimPrefix(f, prefix), s["line"], s["column"], e["line"], e["column"])
		}
		for k, x := range v {
			v[k] = shortenRanges(x, prefix)
		}
	case []any:
		for i, x := range v {
			v[i] = shortenRanges(x, prefix)
		}
	}
	return v
}

// lineDiff shows the lines that differ, enough to find a golden change.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, a, b))
		}
		if len(out) > 20 {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return false })
	return strings.Join(out, "\n")
}
