package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// markerRE finds `ERROR: summary` and `WARNING: summary` markers: in native
// files inside a comment, in JSON files inside a "//" comment property.
var markerRE = regexp.MustCompile(`(ERROR|WARNING): ([^"\n]*[^"\n\s])`)

type marker struct {
	file     string
	line     int
	severity hcl.DiagnosticSeverity
	summary  string
}

// readMarkers returns the markers of every pipeline file of a fixture.
func readMarkers(t *testing.T, path string) []marker {
	t.Helper()
	var files []string
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		entries, _ := os.ReadDir(path)
		for _, e := range entries {
			if IsPipelineFile(e.Name()) {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
	} else {
		files = []string{path}
	}
	var out []marker
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, m := range markerRE.FindAllStringSubmatch(line, -1) {
				sev := hcl.DiagError
				if m[1] == "WARNING" {
					sev = hcl.DiagWarning
				}
				out = append(out, marker{file: f, line: i + 1, severity: sev, summary: m[2]})
			}
		}
	}
	return out
}

// TestInvalidFixtures loads every fixture under testdata/invalid and checks
// that each marked line gets a diagnostic of the marked severity whose
// summary contains the marker's text, and that no unmarked error appears.
func TestInvalidFixtures(t *testing.T) {
	entries, err := os.ReadDir("../testdata/invalid")
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, e := range entries {
		if !e.IsDir() && !IsPipelineFile(e.Name()) {
			continue
		}
		count++
		path := filepath.Join("../testdata/invalid", e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			markers := readMarkers(t, path)
			hasError := false
			for _, m := range markers {
				hasError = hasError || m.severity == hcl.DiagError
			}
			if !hasError {
				t.Fatalf("fixture has no ERROR marker")
			}
			res := Load(path, Options{})
			if res.Pipeline != nil {
				t.Errorf("a pipeline with errors yields an IR")
			}
			matched := make([]bool, len(res.Diagnostics))
			for _, m := range markers {
				found := false
				for i, d := range res.Diagnostics {
					if d.Subject == nil || d.Severity != m.severity {
						continue
					}
					if filepath.Clean(d.Subject.Filename) == filepath.Clean(m.file) && d.Subject.Start.Line == m.line && strings.Contains(d.Summary, m.summary) {
						found, matched[i] = true, true
					}
				}
				if !found {
					t.Errorf("%s:%d: no %s diagnostic %q; got:\n%s", m.file, m.line, sevName(m.severity), m.summary, dump(res.Diagnostics))
				}
			}
			for i, d := range res.Diagnostics {
				if d.Severity == hcl.DiagError && !matched[i] {
					t.Errorf("unexpected error: %s", diagString(d))
				}
			}
		})
	}
	if count < 40 {
		t.Errorf("only %d invalid fixtures; want at least 40", count)
	}
}

func sevName(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagWarning {
		return "WARNING"
	}
	return "ERROR"
}

func diagString(d *hcl.Diagnostic) string {
	where := "<no range>"
	if d.Subject != nil {
		where = fmt.Sprintf("%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
	}
	return fmt.Sprintf("%s: %s: %s: %s", where, sevName(d.Severity), d.Summary, d.Detail)
}

func dump(diags hcl.Diagnostics) string {
	var lines []string
	for _, d := range diags {
		lines = append(lines, "  "+diagString(d))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
