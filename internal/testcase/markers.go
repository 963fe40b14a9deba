package testcase

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

// Marker is an expectation written into an invalid fixture: a diagnostic of
// Severity whose summary contains Summary, on Line of File.
type Marker struct {
	File     string
	Line     int
	Severity hcl.DiagnosticSeverity
	Summary  string
}

// Markers returns the markers of every pipeline file of a fixture (a file,
// or a directory of files whose names isPipelineFile accepts).
func Markers(t *testing.T, path string, isPipelineFile func(string) bool) []Marker {
	t.Helper()
	files := []string{path}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		files = nil
		entries, _ := os.ReadDir(path)
		for _, e := range entries {
			if isPipelineFile(e.Name()) {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
	}
	var out []Marker
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
				out = append(out, Marker{File: f, Line: i + 1, Severity: sev, Summary: m[2]})
			}
		}
	}
	return out
}

// SeverityName is ERROR or WARNING, as markers spell them.
func SeverityName(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagWarning {
		return "WARNING"
	}
	return "ERROR"
}

// DiagString is one diagnostic on one line, for test failures.
func DiagString(d *hcl.Diagnostic) string {
	where := "<no range>"
	if d.Subject != nil {
		where = fmt.Sprintf("%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
	}
	return fmt.Sprintf("%s: %s: %s: %s", where, SeverityName(d.Severity), d.Summary, d.Detail)
}

// Dump is every diagnostic on a line of its own, sorted, for test failures.
func Dump(diags hcl.Diagnostics) string {
	lines := make([]string, 0, len(diags))
	for _, d := range diags {
		lines = append(lines, "  "+DiagString(d))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// CheckMarkers reports, through t, every marker without a matching
// diagnostic and every error no marker expects.
func CheckMarkers(t *testing.T, markers []Marker, diags hcl.Diagnostics) {
	t.Helper()
	matched := make([]bool, len(diags))
	for _, m := range markers {
		found := false
		for i, d := range diags {
			if d.Subject == nil || d.Severity != m.Severity {
				continue
			}
			if filepath.Clean(d.Subject.Filename) == filepath.Clean(m.File) && d.Subject.Start.Line == m.Line && strings.Contains(d.Summary, m.Summary) {
				found, matched[i] = true, true
			}
		}
		if !found {
			t.Errorf("%s:%d: no %s diagnostic %q; got:\n%s", m.File, m.Line, SeverityName(m.Severity), m.Summary, Dump(diags))
		}
	}
	for i, d := range diags {
		if d.Severity == hcl.DiagError && !matched[i] {
			t.Errorf("unexpected error: %s", DiagString(d))
		}
	}
}
