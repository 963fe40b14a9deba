package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
	"github.com/wurzel-dev/wurzel/runner"
)

func init() { register(newCopyBinaryCmd) }

// stepRunner is the runner's own binary (cmd/wurzel-step), installed next
// to wurzel: what a step's pod runs.
const stepRunner = "wurzel-step"

// newCopyBinaryCmd is the command the Argo target's init container runs: the
// runner image is distroless and has no cp, so wurzel copies the step
// runner wurzel-step and the fetch helper, both beside it, into the
// emptyDir that the step's own container then runs them from.
func newCopyBinaryCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:    "copy-binary DEST",
		Short:  "Copy wurzel-step to DEST and wurzel-fetch beside it (used inside Argo pods)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := copyBinaries(args[0]); err != nil {
				fmt.Fprintf(a.stderr, "wurzel: copy-binary: %v\n", err)
				return exitCode(1)
			}
			return nil
		},
	}
}

// copyBinaries copies the step runner to dest and the fetch helper next to
// it, so that steps with source inputs find it there. Both are found next
// to the running executable, else on PATH, as `wurzel step exec` finds the
// helper. The helper goes first: dest existing means both are in place.
func copyBinaries(dest string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this executable: %w", err)
	}
	step, err := findStepRunner(self, os.Getenv)
	if err != nil {
		return err
	}
	helper, err := runner.FindFetchHelper(self, os.Getenv)
	if err != nil {
		return err
	}
	if err := copyExecutable(helper, filepath.Join(filepath.Dir(dest), runner.FetchHelper)); err != nil {
		return err
	}
	return copyExecutable(step, dest)
}

// findStepRunner finds wurzel-step next to the executable exe, else on
// the PATH that getenv gives.
func findStepRunner(exe string, getenv func(string) string) (string, error) {
	p, where := runner.FindInstalled(exe, stepRunner, getenv)
	if p == "" {
		return "", fmt.Errorf("the step runner %s is not installed %s (install it next to wurzel)", stepRunner, where)
	}
	return p, nil
}

// copyExecutable copies the file from to dest, executable by everyone, through a
// temporary file so that dest is never seen half written.
func copyExecutable(from, dest string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := atomicfile.Copy(dest, src, 0o555, false); err != nil {
		return fmt.Errorf("writing %s: %w", dest, err)
	}
	return nil
}
