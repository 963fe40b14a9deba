package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExecLimits: a command argument, env value or setting that Linux
// cannot pass to a program is refused at the value, on every back end; one
// just under the limit is fine (the runner reads the spec from a file, so
// the spec's own size does not matter).
func TestExecLimits(t *testing.T) {
	load := func(size int, attr string) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "big.txt"), []byte(strings.Repeat("x", size)), 0o644); err != nil {
			t.Fatal(err)
		}
		src := `pipeline "p" {}
step "a" {
  ` + attr + `
}
`
		if err := os.WriteFile(filepath.Join(dir, "p.wurzel.hcl"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return Load(dir, Options{}).Diagnostics.Error()
	}
	for _, attr := range []string{
		`command = ["sh", "-c", file("big.txt")]`,
		`command = ["true"]
  env = { BIG = file("big.txt") }`,
		`command = ["true"]
  settings = { big = file("big.txt") }`,
	} {
		if got := load(131072, attr); !strings.Contains(got, "Value too long for a program") {
			t.Errorf("%s, 128 KiB: %s", attr, got)
		}
		if got := load(100_000, attr); got != "no diagnostics" && got != "" {
			t.Errorf("%s, 100 KB: %s", attr, got)
		}
	}
	many := `command = ["sh", "-c", "true"` + strings.Repeat(`, file("big.txt")`, 22) + `]`
	if got := load(100_000, many); !strings.Contains(got, "Command and environment too large") {
		t.Errorf("22 arguments of 100 KB: %s", got)
	}
}
