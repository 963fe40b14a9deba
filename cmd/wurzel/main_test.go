package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/runner/fetch"
	"github.com/wurzel-dev/wurzel/runner/stepcmd"
)

var updateScripts = flag.Bool("update", false, "rewrite the expected output in testdata/script/*.txtar with the actual output")

// TestMain lets the test binary stand in for the wurzel command, its fetch
// helper and the step runner: scripts run `wurzel ...` as a real process, with real exit codes,
// stdin and environment, without building the binaries first.
func TestMain(m *testing.M) {
	if os.Getenv(hostileChildEnv) != "" {
		runHostileChild() // the CLI under limits; see hostile_test.go
	}
	if mode := os.Getenv(benchChildEnv); mode != "" {
		runBenchChild(mode) // a command or its peer; see bench_test.go
	}
	testscript.Main(m, map[string]func(){
		"wurzel":       func() { os.Exit(run(os.Args[1:])) },
		"wurzel-fetch": func() { os.Exit(fetch.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		"wurzel-step":  func() { os.Exit(stepcmd.Main(version, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs every testdata/script/*.txtar. Each script gets a fresh
// $WORK directory holding its files and these variables:
//
//	REPO      the repository root
//	EXAMPLES  the bundled examples, $REPO/examples
//
// Besides testscript's builtins, scripts have
//
//	exits CODE PROGRAM [ARGS...]
//
// which runs PROGRAM like exec and fails unless it exits with status CODE
// (exec and ! exec only tell zero from non-zero).
//
// The environment is otherwise minimal: NO_COLOR and CLICOLOR_FORCE are unset
// unless a script sets them. Run one script with
// `go test ./cmd/wurzel -run TestScripts/NAME`; `-update` rewrites the
// expected files of failing cmp comparisons.
func TestScripts(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		UpdateScripts:       *updateScripts,
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			env.Setenv("EXAMPLES", filepath.Join(repo, "examples"))
			return nil
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){
			"exits": cmdExits,
		},
	})
}

// cmdExits implements the exits script command.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits (write the expected status instead)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad exit status %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			ts.Fatalf("exits: %v", err)
		}
		got = exitErr.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// usageExitStatus lists the commands whose usage errors do not exit with
// status 2, and why.
var usageExitStatus = map[string]int{
	// The runner's own failures use 120-127 so that they never collide
	// with the exit status of the step's command, which passes through.
	"step exec": 120,
}

// TestUsageErrorsExitTwo checks every command, including ones added later,
// for the exit status of an unknown flag: 2 (or its entry in
// usageExitStatus), with a message naming the flag.
func TestUsageErrorsExitTwo(t *testing.T) {
	var visit func(cmd *cobra.Command)
	visit = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			visit(sub)
		}
		// Commands that parse their own flags get their own tests.
		if !cmd.Runnable() || (cmd.DisableFlagParsing && cmd.Name() != "fmt") {
			return
		}
		path := strings.Fields(cmd.CommandPath())[1:]
		args := append(path, "--no-such-flag")
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			a := &app{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
			want, ok := usageExitStatus[strings.Join(path, " ")]
			if !ok {
				want = 2
			}
			if code := a.run(args); code != want {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, want, stderr.String())
			}
			if !strings.Contains(stderr.String(), "no-such-flag") {
				t.Errorf("stderr does not name the flag:\n%s", stderr.String())
			}
		})
	}
	visit(newRootCmd(&app{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}))
}

// TestCobraUsageErrorsAreRecognised runs cobra's own argument and flag
// checks and asserts that every error they give is taken for a usage error,
// so that a change of wording in cobra cannot turn exit status 2 into 1.
func TestCobraUsageErrorsAreRecognised(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*cobra.Command)
		args  []string
	}{
		{"too many args", func(c *cobra.Command) { c.Args = cobra.MaximumNArgs(1) }, []string{"a", "b"}},
		{"too few args", func(c *cobra.Command) { c.Args = cobra.MinimumNArgs(2) }, []string{"a"}},
		{"exact args", func(c *cobra.Command) { c.Args = cobra.ExactArgs(1) }, nil},
		{"range args", func(c *cobra.Command) { c.Args = cobra.RangeArgs(1, 2) }, nil},
		{"invalid arg", func(c *cobra.Command) { c.Args = cobra.OnlyValidArgs; c.ValidArgs = []string{"x"} }, []string{"y"}},
		{"required flag", func(c *cobra.Command) {
			c.Flags().String("spec", "", "")
			_ = c.MarkFlagRequired("spec")
		}, nil},
		{"flags together", func(c *cobra.Command) {
			c.Flags().String("a", "", "")
			c.Flags().String("b", "", "")
			c.MarkFlagsRequiredTogether("a", "b")
		}, []string{"--a=1"}},
		{"one required", func(c *cobra.Command) {
			c.Flags().String("a", "", "")
			c.Flags().String("b", "", "")
			c.MarkFlagsOneRequired("a", "b")
		}, nil},
		{"mutually exclusive", func(c *cobra.Command) {
			c.Flags().String("a", "", "")
			c.Flags().String("b", "", "")
			c.MarkFlagsMutuallyExclusive("a", "b")
		}, []string{"--a=1", "--b=2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := &cobra.Command{Use: "x", SilenceErrors: true, SilenceUsage: true, RunE: func(*cobra.Command, []string) error { return nil }}
			tt.setup(cmd)
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			err := cmd.Execute()
			if err == nil {
				t.Fatal("cobra accepted the arguments")
			}
			if !isCobraUsageError(err) {
				t.Errorf("%q is not taken for a usage error", err)
			}
		})
	}
	// Unknown subcommands, on a command that has some.
	root := &cobra.Command{Use: "root", SilenceErrors: true, SilenceUsage: true}
	root.AddCommand(&cobra.Command{Use: "sub", Run: func(*cobra.Command, []string) {}})
	root.SetArgs([]string{"nope"})
	if err := root.Execute(); err == nil || !isCobraUsageError(err) {
		t.Errorf("unknown subcommand: %v is not taken for a usage error", err)
	}
}
