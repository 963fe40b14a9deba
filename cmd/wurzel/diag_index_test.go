package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcled"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// indexSources are texts the file index must read as HCL does: the
// project's pipelines and some made to be awkward.
func indexSources(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{
		"crlf.wurzel.hcl":        []byte("step \"a\" {\r\n  x = 1\r\n}\r\n\r\nlocals {\r\n  y = 2\r\n}"),
		"noeol.wurzel.hcl":       []byte("a = 1\n\nb = 2"),
		"nested.wurzel.hcl.json": []byte(`{"step": {"a": {"command": ["x", {"k": [1, [2, {"z": 3}]]}]}, "b": []}, "locals": {"q": 1}}`),
		"broken.wurzel.hcl.json": []byte(`{"step": {"a": {"command": [`),
	}
	for _, pattern := range []string{"../../testdata/*/*.wurzel.hcl*", "../../examples/*/*.wurzel.hcl*"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = src
		}
	}
	return out
}

// TestFileIndexAgreesWithHCL compares the index's lines and block context
// at every offset with what hcl.RangeScanner and hcled.ContextString give.
func TestFileIndexAgreesWithHCL(t *testing.T) {
	for name, src := range indexSources(t) {
		var f *hcl.File
		json := strings.HasSuffix(name, ".json")
		if json {
			f, _ = hcljson.Parse(src, name)
		} else {
			f, _ = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		}
		ix := newFileIndex(src, f, json)

		var want, got []string
		sc := hcl.NewRangeScanner(src, name, bufio.ScanLines)
		for sc.Scan() {
			r := sc.Range()
			want = append(want, fmt.Sprintf("%d-%d", r.Start.Byte, r.End.Byte))
		}
		for i := range ix.lineStarts {
			if start, end := ix.line(src, i); start < len(src) {
				got = append(got, fmt.Sprintf("%d-%d", start, end))
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: lines %v, want %v", name, got, want)
		}
		for off := 0; off <= len(src); off++ {
			if g, w := ix.context(off), hcled.ContextString(f, off); g != w {
				t.Errorf("%s: context at %d is %q, want %q", name, off, g, w)
				break
			}
			if line := ix.lineOf(off); ix.lineStarts[line] > off || (line+1 < len(ix.lineStarts) && ix.lineStarts[line+1] <= off) {
				t.Errorf("%s: lineOf(%d) = %d", name, off, line)
				break
			}
		}
	}
}

// TestGroupWarnings folds warnings of one summary into the first, names
// where the folded ones are, and never folds errors.
func TestGroupWarnings(t *testing.T) {
	var src bytes.Buffer
	var diags hcl.Diagnostics
	for i := 0; i < 8; i++ {
		src.WriteString("x = 1\n")
		r := hcl.Range{Filename: "w.hcl", Start: hcl.Pos{Line: i + 1, Column: 1, Byte: 6 * i}, End: hcl.Pos{Line: i + 1, Column: 2, Byte: 6*i + 1}}
		diags = append(diags,
			&hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Unused", Detail: fmt.Sprintf("x%d", i), Subject: &r},
			&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Bad", Subject: &r})
	}
	diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Other", Subject: diags[0].Subject})
	var out bytes.Buffer
	(&diagWriter{w: &out, src: &sources{raw: map[string][]byte{"w.hcl": src.Bytes()}}}).writeAll(diags)
	text := out.String()
	if n := strings.Count(text, "Warning: Unused"); n != 1 {
		t.Errorf("%d Unused warnings printed, want 1:\n%s", n, text)
	}
	if n := strings.Count(text, "Error: Bad"); n != 8 {
		t.Errorf("%d errors printed, want 8", n)
	}
	if !strings.Contains(text, "Warning: Other") {
		t.Errorf("a warning of another summary was folded")
	}
	if !strings.Contains(text, "(and 7 more similar warnings, at w.hcl:2, w.hcl:3, w.hcl:4, w.hcl:5, w.hcl:6, ...)") {
		t.Errorf("no count of the folded warnings:\n%s", text)
	}
}
