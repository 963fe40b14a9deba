package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/runner"
	// DVC stages read their variables from params.yaml.
	_ "github.com/wurzel-dev/wurzel/runner/paramsfile/yamlfile"
	"github.com/wurzel-dev/wurzel/runner/stepcmd"
)

func init() { register(newStepCmd) }

func newStepCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "step",
		Short: "Run one step under the runtime contract (used by every back end)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError(errors.New(`"wurzel step" needs a subcommand: exec`))
		},
	}
	cmd.AddCommand(newStepExecCmd(a))
	return cmd
}

type stepExecFlags struct {
	specFile string
	specJSON string
	runID    string
}

func newStepExecCmd(a *app) *cobra.Command {
	var f stepExecFlags
	cmd := &cobra.Command{
		Use:   "exec (--spec FILE | --spec-json JSON)",
		Short: "Execute one step spec: secrets, inputs, command, outputs, manifest",
		Long: `Exec runs the step described by a step spec (wurzel.dev/step/v1): it checks
the step's secrets and volumes, fetches and verifies its inputs, runs its
command without a shell, publishes its outputs and writes its manifest last.
The spec comes from --spec FILE, --spec-json JSON or the environment variable
WURZEL_STEP_SPEC; the run id from --run-id or WURZEL_RUN_ID.

Relative locations and go-getter sources resolve against the current
directory. Source inputs are downloaded by the fetch helper wurzel-fetch,
found at $WURZEL_FETCH_HELPER, next to this binary, or on PATH. Logs are
JSON lines on stderr (text on a terminal); the command's own output passes
through unchanged. See docs/runtime.md.

Exit status: the command's own status, or 120 bad spec or usage, 121 secret
or volume missing, 122 input failure, 123 output failure, 124 timeout, 125
retryable transient failure, 126 command not executable, 127 command not
found.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return &exitError{code: runner.CodeBadSpec, err: fmt.Errorf("step exec takes no arguments, got %q", args)}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.stepExec(cmd.Context(), f)
		},
	}
	cmd.Flags().StringVar(&f.specFile, "spec", "", "read the step spec from `FILE`")
	cmd.Flags().StringVar(&f.specJSON, "spec-json", "", "the step spec as a `JSON` document")
	cmd.Flags().StringVar(&f.runID, "run-id", "", "the run's `ID` (default: $WURZEL_RUN_ID, or a new one)")
	// The runner's exit codes are part of the contract: usage errors are
	// 120, not the usual 2.
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: runner.CodeBadSpec, err: err}
	})
	return cmd
}

func (a *app) stepExec(ctx context.Context, f stepExecFlags) error {
	if ctx == nil {
		ctx = context.Background()
	}
	code, err := stepcmd.Run(ctx, stepcmd.Invocation{
		SpecFile: f.specFile, SpecJSON: f.specJSON, RunID: f.runID,
		Environ: a.environ, Stdout: a.stdout, Stderr: a.stderr,
	})
	switch {
	case err != nil:
		return &exitError{code: code, err: err}
	case code != 0:
		// The runner has logged the failure; only the exit code is left.
		return exitCode(code)
	}
	return nil
}
