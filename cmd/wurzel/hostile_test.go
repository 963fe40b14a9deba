package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostileChildEnv makes the test binary run the CLI (run) instead of the
// tests, after limiting its own address space: the hostile-input test runs
// the real command line as a child process under that limit.
const hostileChildEnv = "WURZEL_TEST_HOSTILE_CHILD"

// hostileAddressSpace is the child's address-space limit: a safety net, so
// that a regression fails the test instead of exhausting the machine. The
// Go runtime reserves about 1 GiB of address space it never touches, so the
// resident-memory bound the test asserts is hostileMaxRSS.
const hostileAddressSpace = 3 << 30

// hostileMaxRSS is the most resident memory a command may use on any
// hostile input: what the documentation promises for files under 10 MB.
const hostileMaxRSS = 1 << 30

// hostileTimeout ends a command that hangs; it is no measure of speed
// (make bench is), only of never finishing.
const hostileTimeout = 2 * time.Minute

func runHostileChild() {
	if err := limitAddressSpace(hostileAddressSpace); err != nil {
		fmt.Fprintln(os.Stderr, "limiting the address space:", err)
		os.Exit(3)
	}
	os.Exit(run(os.Args[1:]))
}

// hostileCase is one input made to hurt, and what the CLI must answer.
type hostileCase struct {
	name  string
	files map[string]string
	args  []string // after the command; the file names are relative to the case's directory
	code  int
	// want are texts the output must hold.
	want []string
	// setup prepares what files cannot hold (a FIFO).
	setup func(t *testing.T, dir string)
}

const hostilePipeline = "pipeline \"p\" {\n  image = \"alpine:3\"\n}\n"

func nest(open, close string, n int) string {
	return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
}

func hostileCases() []hostileCase {
	step := func(cmd string) string {
		return hostilePipeline + "step \"a\" {\n  command = [\"echo\", " + cmd + "]\n}\n"
	}
	local := func(expr string) string {
		return hostilePipeline + "locals {\n  x = " + expr + "\n}\nstep \"a\" {\n  command = [\"echo\", jsonencode(local.x)]\n}\n"
	}
	var warnings, errs strings.Builder
	warnings.WriteString(step(`"x"`))
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&warnings, "variable \"v%d\" {\n  default = 1\n}\n", i)
	}
	errs.WriteString(hostilePipeline)
	for i := 0; i < 50_000; i++ {
		fmt.Fprintf(&errs, "step \"s%d\" {\n  command = 1\n}\n", i)
	}
	doubling := []string{`  s0 = "0123456789abcdef"`}
	for i := 1; i <= 40; i++ {
		doubling = append(doubling, fmt.Sprintf(`  s%d = "${local.s%d}${local.s%d}"`, i, i-1, i-1))
	}
	tenMB := "[" + strings.Repeat("1,", 5_000_000) + "]"
	underCap := "[" + strings.Repeat("1,", 480_000) + "]"
	deepJSON := `{"pipeline": {"p": {"image": "alpine:3"}}, "locals": {"x": ` + nest("[", "]", 100_000) + `}}`
	deepJSONTemplate := `{"pipeline": {"p": {"image": "alpine:3"}}, "locals": {"x": "${` + nest("(", ")", 100_000) + `}"}}`
	p := "p.wurzel.hcl"
	one := func(src string) map[string]string { return map[string]string{p: src} }
	return []hostileCase{
		{name: "file of /dev/zero", files: one(step(`file("/dev/zero")`)), code: 1, want: []string{"not a regular file"}},
		{name: "file of a FIFO", files: one(step(`file("fifo")`)), code: 1, want: []string{"a named pipe"},
			setup: func(t *testing.T, dir string) { mkfifo(t, filepath.Join(dir, "fifo")) }},
		{name: "a FIFO named as a pipeline file", files: one(step(`"x"`)), args: []string{"validate", "."}, code: 1, want: []string{"Cannot read pipeline file", "a named pipe"},
			setup: func(t *testing.T, dir string) { mkfifo(t, filepath.Join(dir, "q.wurzel.hcl")) }},
		{name: "a variable file of /dev/zero", files: one(step(`"x"`)), args: []string{"validate", "--var-file", "/dev/zero", p}, code: 1, want: []string{"Cannot read variable file", "a character device"}},
		{name: "jsondecode of a million brackets", files: map[string]string{p: local(`jsondecode(file("deep.json"))`), "deep.json": nest("[", "]", 1_000_000)}, code: 1, want: []string{"the JSON nests more than 256 levels deep"}},
		{name: "100,000 parentheses", files: one(local(nest("(", ")", 100_000))), code: 1, want: []string{"Nesting too deep"}},
		{name: "fmt of 100,000 parentheses", files: one(local(nest("(", ")", 100_000))), args: []string{"fmt", "-check", p}, code: 1, want: []string{"Nesting too deep"}},
		{name: "a million negations", files: one(local(strings.Repeat("!", 1_000_000) + "true")), code: 1, want: []string{"Nesting too deep"}},
		{name: "a million additions", files: one(local("1" + strings.Repeat("+1", 1_000_000))), code: 1, want: []string{"Nesting too deep"}},
		{name: "100,000 nested arrays in JSON", files: map[string]string{"p.wurzel.hcl.json": deepJSON}, args: []string{"validate", "p.wurzel.hcl.json"}, code: 1, want: []string{"Nesting too deep"}},
		{name: "a JSON template nested 100,000 deep", files: map[string]string{"p.wurzel.hcl.json": deepJSONTemplate}, args: []string{"validate", "p.wurzel.hcl.json"}, code: 1, want: []string{"Nesting too deep"}},
		{name: "for expressions of a billion elements", files: one(local(`flatten([for a in range(1000) : [for b in range(1000) : [for c in range(1000) : 1]]])`)), code: 1, want: []string{"Evaluation budget exceeded"}},
		// Each range(1030) fails after making 1,024 numbers, so it leaves no
		// value to charge: it is charged for them before it runs.
		{name: "a million range calls that fail", files: one(local(`flatten([for a in range(1000) : [for b in range(1000) : [for c in range(1030) : 1]]])`)), code: 1, want: []string{"Evaluation budget exceeded"}},
		{name: "a string doubled 40 times", files: one(hostilePipeline + "locals {\n" + strings.Join(doubling, "\n") + "\n}\nstep \"a\" {\n  command = [\"echo\", local.s40]\n}\n"), code: 1, want: []string{"Evaluation budget exceeded"}},
		{name: "jsonencode of a shared structure", files: one(local(`jsonencode([for i in range(1000) : [for j in range(1000) : range(1000)]])`)), code: 1, want: []string{"Evaluation budget exceeded"}},
		{name: "a 10 MB list literal", files: one(local(tenMB)), code: 1, want: []string{"Too many tokens"}},
		{name: "a list literal just under the token limit", files: one(local("length(" + underCap + ")")), code: 0, want: []string{"is valid"}},
		{name: "1,000 warnings", files: one(warnings.String()), code: 0, want: []string{"and 999 more similar warnings"}},
		{name: "50,000 errors", files: one(errs.String()), code: 1, want: []string{"50000 errors"}},
		{name: "a number of a hundred million digits", files: one(step(`1e100000000`)), code: 1, want: []string{"Number out of range"}},
		{name: "four million digits read as a number", files: map[string]string{p: step(`file("digits.txt") + 1`), "digits.txt": strings.Repeat("7", 4_000_000)}, code: 1, want: []string{"Number too long"}},
		{name: "NaN and infinities", files: one(step(`log(0, 0), pow(-8, 0.5), log(0, 10)`)), code: 1, want: []string{"not a number (NaN)", "infinite"}},
		{name: "a format width of a billion", files: one(step(`format("%999999999d", 1)`)), code: 1, want: []string{"more than the 1000 allowed"}},
		{name: "NUL characters", files: one(step(`"a\u0000b"`)), code: 1, want: []string{"NUL character in value"}},
	}
}

// TestHostileInputs runs the real command line on each hostile input as a
// child process under an address-space limit and a timeout: it must end
// with the expected exit code and a clear message, never a crash, a Go stack
// trace or a kill, using less than hostileMaxRSS.
func TestHostileInputs(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("address-space limits and resident-memory figures as Linux gives them")
	}
	if testing.Short() {
		t.Skip("runs the CLI on inputs of several megabytes")
	}
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, src := range c.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if c.setup != nil {
				c.setup(t, dir)
			}
			args := c.args
			if args == nil {
				args = []string{"validate", "p.wurzel.hcl"}
			}
			ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), hostileChildEnv+"=1", "NO_COLOR=1")
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("still running after %s", hostileTimeout)
			}
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			text := string(out)
			for _, crash := range []string{"goroutine ", "panic", "fatal error", "runtime."} {
				if strings.Contains(text, crash) {
					t.Fatalf("output holds %q:\n%.2000s", crash, text)
				}
			}
			if code != c.code {
				t.Errorf("exit code %d, want %d; output:\n%.2000s", code, c.code, text)
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%.2000s", w, text)
				}
			}
			rss := maxRSS(cmd.ProcessState)
			t.Logf("%s: exit %d, %d MiB resident, %s user", c.name, code, rss>>20, cmd.ProcessState.UserTime().Round(time.Millisecond))
			if rss > hostileMaxRSS {
				t.Errorf("used %d MiB of memory, more than %d MiB", rss>>20, hostileMaxRSS>>20)
			}
		})
	}
}
