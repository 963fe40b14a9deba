package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/internal/atomicfile"
)

func init() { register(newCopyBinaryCmd) }

// newCopyBinaryCmd is the command the Argo target's init container runs: the
// runner image is distroless and has no cp, so wurzel copies itself into the
// emptyDir that the step's own container then runs it from.
func newCopyBinaryCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:    "copy-binary DEST",
		Short:  "Copy this wurzel binary to DEST (used inside Argo pods)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			if err := copySelf(args[0]); err != nil {
				fmt.Fprintf(a.stderr, "wurzel: copy-binary: %v\n", err)
				return exitCode(1)
			}
			return nil
		},
	}
}

// copySelf copies the running executable to dest, executable by everyone,
// through a temporary file so that dest is never seen half written.
func copySelf(dest string) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this executable: %w", err)
	}
	src, err := os.Open(self)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := atomicfile.Copy(dest, src, 0o555, false); err != nil {
		return fmt.Errorf("writing %s: %w", dest, err)
	}
	return nil
}
