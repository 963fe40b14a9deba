package checkcache

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/lang"
)

const cachedPipeline = `
variable "greeting" {
  type    = string
  default = "hello"
}

variable "count" {
  type    = number
  default = 1
}

pipeline "p" {}

step "a" {
  command = ["echo", var.greeting, file("message.txt"), tostring(var.count), try(file("optional.txt"), "none")]
  watch   = ["data"]
}
`

// project writes a pipeline with an external file, a watched directory
// and a variable file, and a stand-in for the program's binary.
func project(t *testing.T) (dir string, opts Options, lopts lang.Options) {
	t.Helper()
	dir = t.TempDir()
	write(t, filepath.Join(dir, "p.wurzel.hcl"), cachedPipeline)
	write(t, filepath.Join(dir, "message.txt"), "from a file")
	write(t, filepath.Join(dir, "vars.hcl"), `count = 2`)
	if err := os.Mkdir(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(t.TempDir(), "wurzel")
	write(t, exe, "binary")
	return dir, Options{Dir: filepath.Join(dir, ".wurzel", "cache"), Write: true, Executable: exe},
		lang.Options{VarFiles: []string{filepath.Join(dir, "vars.hcl")}, Environ: []string{"HOME=/nowhere"}}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// load loads dir through the cache and checks the result against a load
// without it.
func load(t *testing.T, dir string, lopts lang.Options, opts Options) bool {
	t.Helper()
	res, hit := Load(dir, lopts, opts)
	want := driver.Check(dir, lopts)
	if res.Pipeline == nil || want.Pipeline == nil {
		if res.Pipeline != want.Pipeline || len(res.Diagnostics) != len(want.Diagnostics) {
			t.Fatalf("cached load: %v; load: %v", res.Diagnostics, want.Diagnostics)
		}
		return hit
	}
	if !reflect.DeepEqual(res.Pipeline, want.Pipeline) {
		t.Fatalf("cached load (hit %v) differs from a load", hit)
	}
	return hit
}

// TestHitAndEveryMiss changes each thing a load depends on in turn: the
// first load after a change misses, the next one hits.
func TestHitAndEveryMiss(t *testing.T) {
	dir, opts, lopts := project(t)
	if load(t, dir, lopts, opts) {
		t.Fatal("first load hit")
	}
	if !load(t, dir, lopts, opts) {
		t.Fatal("second load missed")
	}
	if fi, err := os.Stat(filepath.Join(opts.Dir, EntryName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("entry: %v, mode %v; want 0600", err, fi.Mode())
	}
	changes := []struct {
		name   string
		change func()
	}{
		{"pipeline file", func() { write(t, filepath.Join(dir, "p.wurzel.hcl"), cachedPipeline+"\n# comment\n") }},
		{"new pipeline file", func() { write(t, filepath.Join(dir, "q.wurzel.hcl"), `step "b" { command = ["true"] }`) }},
		{"file()", func() { write(t, filepath.Join(dir, "message.txt"), "from a file, edited") }},
		{"file() that try() found missing", func() { write(t, filepath.Join(dir, "optional.txt"), "here now") }},
		{"file() that try() found", func() {
			if err := os.Remove(filepath.Join(dir, "optional.txt")); err != nil {
				t.Fatal(err)
			}
		}},
		{"variable file", func() { write(t, filepath.Join(dir, "vars.hcl"), `count = 3`) }},
		{"--var", func() { lopts.Vars = []string{"greeting=hi"} }},
		{"WURZEL_VAR_", func() { lopts.Environ = append(lopts.Environ, "WURZEL_VAR_greeting=hey") }},
		{"binary", func() {
			later := time.Now().Add(time.Minute)
			if err := os.Chtimes(opts.Executable, later, later); err != nil {
				t.Fatal(err)
			}
		}},
		{"corrupt entry", func() { flipLastByte(t, filepath.Join(opts.Dir, EntryName)) }},
		{"truncated entry", func() { truncate(t, filepath.Join(opts.Dir, EntryName)) }},
	}
	for _, c := range changes {
		c.change()
		if load(t, dir, lopts, opts) {
			t.Errorf("%s: the load after the change hit", c.name)
		}
		if !load(t, dir, lopts, opts) {
			t.Errorf("%s: the load after that missed", c.name)
		}
	}
	// Unrelated variables of the environment are not part of the key.
	lopts.Environ = append(lopts.Environ, "PWD=/elsewhere")
	if !load(t, dir, lopts, opts) {
		t.Error("an unrelated environment variable made a miss")
	}
}

// TestWatchedPathRemoved: a hit must not hide the warning a load gives
// for a watched path that no longer exists.
func TestWatchedPathRemoved(t *testing.T) {
	dir, opts, lopts := project(t)
	load(t, dir, lopts, opts)
	if err := os.Remove(filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	res, hit := Load(dir, lopts, opts)
	if hit || !strings.Contains(diagText(res), "Watched path does not exist") {
		t.Fatalf("hit %v, diagnostics %q", hit, diagText(res))
	}
	// With the warning, nothing is stored: the next load warns again.
	if res, hit = Load(dir, lopts, opts); hit || !strings.Contains(diagText(res), "Watched path") {
		t.Fatalf("second load: hit %v, diagnostics %q", hit, diagText(res))
	}
}

// TestNotStored: dry runs, results with errors or a sensitive variable
// leave no entry.
func TestNotStored(t *testing.T) {
	cases := map[string]struct {
		source string
		write  bool
	}{
		"dry run":   {`pipeline "p" {}` + "\nstep \"a\" { command = [\"true\"] }\n", false},
		"error":     {`pipeline "p" {}` + "\nstep \"a\" { command = [] }\n", true},
		"sensitive": {"variable \"token\" {\n  type = string\n  sensitive = true\n  default = \"x\"\n}\npipeline \"p\" {}\nstep \"a\" {\n  command = [\"true\"]\n  env = { T = var.token }\n}\n", true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "p.wurzel.hcl"), c.source)
			for i := 0; i < 2; i++ {
				if _, hit := Load(dir, lang.Options{}, Options{Dir: filepath.Join(dir, "cache"), Write: c.write}); hit {
					t.Fatal("hit")
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "cache", EntryName)); !os.IsNotExist(err) {
				t.Fatalf("an entry was written: %v", err)
			}
		})
	}
}

// TestNoDirectory: without a directory there is no cache.
func TestNoDirectory(t *testing.T) {
	dir, opts, lopts := project(t)
	opts.Dir = ""
	for i := 0; i < 2; i++ {
		if load(t, dir, lopts, opts) {
			t.Fatal("hit without a directory")
		}
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 4 {
		t.Fatalf("the project holds %d files (%v); want its 4", len(entries), err)
	}
}

// TestUnreadablePipeline: what the cache cannot read is loaded as usual,
// with the load's own diagnostics.
func TestUnreadablePipeline(t *testing.T) {
	res, hit := Load(filepath.Join(t.TempDir(), "missing"), lang.Options{}, Options{Dir: t.TempDir(), Write: true})
	if hit || res.Pipeline != nil || !strings.Contains(diagText(res), "Cannot read pipeline") {
		t.Fatalf("hit %v, diagnostics %q", hit, diagText(res))
	}
}

func diagText(res *lang.Result) string {
	var b strings.Builder
	for _, d := range res.Diagnostics {
		b.WriteString(d.Summary + "\n")
	}
	return b.String()
}

func flipLastByte(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-1] ^= 0x55
	write(t, path, string(data))
}

func truncate(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write(t, path, string(data[:len(data)/2]))
}
