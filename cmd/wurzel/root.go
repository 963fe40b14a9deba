package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// subcommands are added by each command's file, in its init function, so
// that commands can be written side by side without touching this file.
var subcommands []func(*app) *cobra.Command

func register(newCmd func(*app) *cobra.Command) {
	subcommands = append(subcommands, newCmd)
}

// app carries the process's streams and environment into the commands, so
// that tests can run the CLI in-process.
type app struct {
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	environ []string
	// tuneMemory lets batch commands trade memory for speed (memory.go);
	// set for the process, not for tests that run commands in-process.
	tuneMemory bool
	// restoreMemory undoes tuneMemory's setting when the command ends.
	restoreMemory func()
}

// exitError carries an exit code out of a command. A nil err means the
// command already printed what it had to say.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

// exitCode returns an error that makes wurzel exit with code after printing
// nothing more.
func exitCode(code int) error { return &exitError{code: code} }

// usageError marks err as a usage error (exit 2).
func usageError(err error) error { return &exitError{code: 2, err: err} }

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:           "wurzel",
		Short:         "Write data and ML pipelines once, run them anywhere",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	if a.tuneMemory {
		root.PersistentPreRun = func(cmd *cobra.Command, _ []string) { a.restoreMemory = tuneMemory(cmd, a.environ) }
	}
	for _, newCmd := range subcommands {
		root.AddCommand(newCmd(a))
	}
	return root
}

// run executes the CLI with args and returns the process exit code.
func run(args []string) int {
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, environ: os.Environ(), tuneMemory: true}
	return a.run(args)
}

func (a *app) run(args []string) int {
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.Execute()
	if a.restoreMemory != nil {
		a.restoreMemory()
		a.restoreMemory = nil
	}
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(a.stderr, "wurzel: %v\n", ee.err)
		}
		return ee.code
	}
	// Cobra reports unknown commands and bad arguments as plain errors.
	fmt.Fprintf(a.stderr, "wurzel: %v\n", err)
	if isCobraUsageError(err) {
		return 2
	}
	return 1
}
