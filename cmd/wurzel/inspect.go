package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/inspect"
	"github.com/wurzel-dev/wurzel/ir"
)

func init() { register(newInspectCmd) }

type inspectFlags struct {
	vars varFlags
	json bool
	step string
}

func newInspectCmd(a *app) *cobra.Command {
	var f inspectFlags
	cmd := &cobra.Command{
		Use:   "inspect [PATH]",
		Short: "Show the evaluated pipeline and each step's environment",
		Long: `Inspect loads and checks the pipeline at PATH (default: the current directory)
and prints it as evaluated: the steps in the order they run with their image,
command, inputs, outputs, env, settings, secrets and volumes, and every
environment variable each step's command receives at run time, including the
WURZEL_* variables the runner adds. Values known only at run time are shown as
placeholders in angle brackets (<run-id>, <workdir>). Secret values are never
shown: secrets appear by name, keys and location.

With --step only that step (every instance of a step with for_each) is shown;
with --json the description is printed as one JSON document.
Exit status: 0 on success, 1 when the pipeline is invalid, 2 for usage errors.`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completePipelinePath,
		RunE: func(_ *cobra.Command, args []string) error {
			p, err := a.loadForInsight(pathArg(args), f.vars)
			if err != nil {
				return err
			}
			r := inspect.New(p)
			if f.step != "" && !r.Only(f.step) {
				return &exitError{code: 1, err: fmt.Errorf("pipeline %s has no step %q (steps: %s)", p.Name, f.step, strings.Join(r.StepNames(), ", "))}
			}
			if f.json {
				_, err = a.stdout.Write(r.JSON())
			} else {
				_, err = a.stdout.Write(r.Text())
			}
			return err
		},
	}
	f.vars.register(cmd)
	cmd.Flags().BoolVar(&f.json, "json", false, "print the description as JSON")
	cmd.Flags().StringVar(&f.step, "step", "", "show only the step called `NAME`")
	return cmd
}

// pathArg is the optional PATH argument, "." when absent.
func pathArg(args []string) string {
	if len(args) == 1 {
		return args[0]
	}
	return "."
}

// loadForInsight loads and checks a pipeline for the commands that show it
// (inspect, graph). When it is invalid, it prints the diagnostics as
// validate does and returns exit code 1; nothing goes to standard output.
func (a *app) loadForInsight(path string, vars varFlags) (*ir.Pipeline, error) {
	res := driver.Check(path, vars.options(a.environ))
	if res.Pipeline != nil && !res.Diagnostics.HasErrors() {
		return res.Pipeline, nil
	}
	a.writeDiagnostics(res.Files, res.Diagnostics)
	return nil, exitCode(1)
}
