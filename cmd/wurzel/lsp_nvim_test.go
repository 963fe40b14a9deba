package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/format"
	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets"
)

// TestNeovimLSP runs `wurzel lsp` under a real LSP client nobody here wrote:
// headless Neovim's built-in client opens an invalid pipeline and must
// receive validate's diagnostics, then formats a file through the server.
// TestMain puts this test binary on PATH as `wurzel`.
func TestNeovimLSP(t *testing.T) {
	nvim := testtool.Need(t, "nvim", "Debian package neovim")
	if _, err := exec.LookPath("wurzel"); err != nil {
		t.Fatalf("wurzel is not on PATH: %v", err)
	}
	work := t.TempDir()
	badDir, messyDir := filepath.Join(work, "bad"), filepath.Join(work, "messy")
	bad := filepath.Join(badDir, "pipeline.wurzel.hcl")
	messy := filepath.Join(messyDir, "pipeline.wurzel.hcl")
	writeNvimFixture(t, bad, `pipeline "bad" {
  image = "busybox:1.36"
}

step "a" {
  command = ["true"]
  imagee  = "x"
}

step "b" {
  command = ["true"]
  input "x" {
    from = step.a.output.missing
  }
}
`)
	messySrc := "pipeline \"messy\" {\nimage=\"busybox:1.36\"\n    description =   \"tidy me\"\n}\n\nstep \"a\" {\n  command=[\"true\"]\n}\n"
	writeNvimFixture(t, messy, messySrc)
	result := filepath.Join(work, "result.txt")

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-n", "-i", "NONE", "-u", filepath.Join("testdata", "nvim", "init.lua"))
	cmd.Env = append(os.Environ(),
		"WURZEL_BAD="+bad, "WURZEL_MESSY="+messy, "WURZEL_RESULT="+result,
		// Keep Neovim's state, logs and caches in the test's directory.
		"HOME="+work, "XDG_CONFIG_HOME="+filepath.Join(work, "config"),
		"XDG_STATE_HOME="+filepath.Join(work, "state"), "XDG_CACHE_HOME="+filepath.Join(work, "cache"),
		"XDG_DATA_HOME="+filepath.Join(work, "data"))
	outBytes, runErr := cmd.CombinedOutput()
	resBytes, err := os.ReadFile(result)
	if err != nil {
		t.Fatalf("nvim wrote no result (%v): %v\n%s", runErr, err, outBytes)
	}
	if runErr != nil {
		t.Fatalf("nvim failed: %v\n%s\nresult:\n%s", runErr, outBytes, resBytes)
	}

	var diags, lines []string
	for _, l := range strings.Split(strings.TrimRight(string(resBytes), "\n"), "\n") {
		kind, rest, _ := strings.Cut(l, "|")
		switch kind {
		case "diag":
			diags = append(diags, rest)
		case "line":
			lines = append(lines, rest)
		}
	}

	// The diagnostics are exactly validate's, in Neovim's form:
	// 0-based line, severity (1 error, 2 warning), message.
	res := driver.Check(badDir, lang.Options{}, targets.All()...)
	var want []string
	for _, d := range res.Diagnostics {
		sev := "1"
		if d.Severity == hcl.DiagWarning {
			sev = "2"
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		want = append(want, strconv.Itoa(d.Subject.Start.Line-1)+"|"+sev+"|"+strings.ReplaceAll(msg, "\n", " "))
	}
	sort.Strings(diags)
	sort.Strings(want)
	if strings.Join(diags, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics in Neovim:\n%s\nwant (validate's):\n%s", strings.Join(diags, "\n"), strings.Join(want, "\n"))
	}
	if len(want) < 2 {
		t.Errorf("the invalid pipeline should have at least two errors, validate reports %q", want)
	}

	formatted, fdiags := format.Source(messy, []byte(messySrc))
	if fdiags.HasErrors() {
		t.Fatal(fdiags)
	}
	if got := strings.Join(lines, "\n") + "\n"; got != string(formatted) {
		t.Errorf("buffer after formatting:\n%s\nwant:\n%s", got, formatted)
	}
}

func writeNvimFixture(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
