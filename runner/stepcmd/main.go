package stepcmd

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/wurzel-dev/wurzel/runner"
)

const usage = `usage: wurzel-step (--spec FILE | --spec-json JSON) [--run-id ID]

wurzel-step runs one step under the runtime contract, as "wurzel step exec"
does: secrets and volumes, inputs, the command, outputs, the manifest. The
spec comes from --spec FILE, --spec-json JSON or the environment variable
WURZEL_STEP_SPEC; the run id from --run-id or WURZEL_RUN_ID.

Exit status: the command's own status, or 120 bad spec or usage, 121 secret
or volume missing, 122 input failure, 123 output failure, 124 timeout, 125
retryable transient failure, 126 command not executable, 127 command not
found. See docs/runtime.md.

Flags:
`

// Main runs wurzel-step with the command-line arguments args (without the
// program name) in the environment environ, and returns its exit status.
// version is what --version prints.
func Main(version string, args, environ []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("wurzel-step", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, usage)
		flags.PrintDefaults()
	}
	specFile := flags.String("spec", "", "read the step spec from `FILE`")
	specJSON := flags.String("spec-json", "", "the step spec as a `JSON` document")
	runID := flags.String("run-id", "", "the run's `ID` (default: $WURZEL_RUN_ID, or a new one)")
	showVersion := flags.Bool("version", false, "print the version and exit")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return runner.CodeBadSpec
	}
	if *showVersion {
		fmt.Fprintf(stdout, "wurzel-step %s\n", version)
		return 0
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "wurzel-step: takes no arguments, got %q\n", flags.Args())
		return runner.CodeBadSpec
	}
	code, err := Run(context.Background(), Invocation{
		SpecFile: *specFile, SpecJSON: *specJSON, RunID: *runID,
		Environ: environ, Stdout: stdout, Stderr: stderr,
	})
	if err != nil {
		fmt.Fprintf(stderr, "wurzel-step: %v\n", err)
	}
	return code
}
