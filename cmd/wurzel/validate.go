package main

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets"
)

func init() { register(newValidateCmd) }

type validateFlags struct {
	vars    varFlags
	targets []string
	json    bool
}

func newValidateCmd(a *app) *cobra.Command {
	var f validateFlags
	cmd := &cobra.Command{
		Use:   "validate [PATH]",
		Short: "Check a pipeline for errors",
		Long: `Validate loads the pipeline at PATH (a .wurzel.hcl or .wurzel.hcl.json file, or
a directory of them; default: the current directory), checks it, and runs the
checks of every target it can be generated for (or only those named with
--target).

Exit status: 0 when the pipeline is valid (warnings allowed), 1 when it is
not, 2 for usage errors. With --json the result is one JSON document on
standard output in the format of Terraform's "validate -json".`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completePipelinePath,
		RunE: func(_ *cobra.Command, args []string) error {
			path := "."
			if len(args) == 1 {
				path = args[0]
			}
			return a.validate(path, f)
		},
	}
	f.vars.register(cmd)
	cmd.Flags().StringArrayVar(&f.targets, "target", nil, "check only for target `NAME` (repeatable; default: every target: "+strings.Join(targets.Names(), ", ")+")")
	cmd.Flags().BoolVar(&f.json, "json", false, "print the result as JSON")
	_ = cmd.RegisterFlagCompletionFunc("target", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return targets.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// completePipelinePath offers pipeline files and directories.
func completePipelinePath(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return []string{"hcl", "json"}, cobra.ShellCompDirectiveFilterFileExt
}

func (a *app) validate(path string, f validateFlags) error {
	chosen, err := selectTargets(f.targets)
	if err != nil {
		return usageError(err)
	}
	res := driver.Check(path, f.vars.options(a.environ), chosen...)
	if res.Pipeline == nil && !res.Diagnostics.HasErrors() {
		// Never call a pipeline valid that was not built, whatever the
		// front end says.
		res.Diagnostics = append(res.Diagnostics, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Pipeline not built",
			Detail:   "Loading " + path + " gave neither a pipeline nor an error; this is a bug in wurzel.",
		})
	}
	src := newSources(res.Files)
	errs, warns := countDiagnostics(res.Diagnostics)

	if f.json {
		if err := writeValidateJSON(a.stdout, src, res.Diagnostics); err != nil {
			return err
		}
	} else {
		a.diagWriter(src).writeAll(res.Diagnostics)
		a.printValidateSummary(res, errs, warns)
	}
	if errs > 0 {
		return exitCode(1)
	}
	return nil
}

// selectTargets returns the targets named, or every target when none is.
// Without a choice, what only one target needs is a warning, not an error
// (see backend.Lenient).
func selectTargets(names []string) ([]backend.Target, error) {
	if len(names) == 0 {
		return backend.Lenient(targets.All()...), nil
	}
	var out []backend.Target
	seen := map[string]bool{}
	for _, name := range names {
		t, ok := targets.ByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown target %q (known targets: %s)", name, knownTargets())
		}
		if !seen[name] {
			seen[name] = true
			out = append(out, t)
		}
	}
	return out, nil
}

func knownTargets() string {
	names := targets.Names()
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// printValidateSummary ends the human output with one line: the verdict on
// standard output when valid, the counts on standard error when not.
func (a *app) printValidateSummary(res *lang.Result, errs, warns int) {
	if errs > 0 {
		pal := colorFor(a.stderr, a.environ)
		fmt.Fprintf(a.stderr, "%s %s.\n", pal.paint("The pipeline is invalid:", ansiBold, ansiRed), countPhrase(errs, warns))
		return
	}
	pal := colorFor(a.stdout, a.environ)
	msg := fmt.Sprintf("The pipeline %s is valid: %s", res.Pipeline.Name, stepCount(res.Pipeline))
	if warns > 0 {
		msg += ", " + plural(warns, "warning")
	}
	fmt.Fprintln(a.stdout, pal.paint(msg+".", ansiBold, ansiGreen))
}

// stepCount says how many steps p has and, when instances of steps with
// for_each make them more than the step blocks written, from how many
// blocks: "21 steps from 5 step blocks".
func stepCount(p *ir.Pipeline) string {
	steps := plural(len(p.Steps), "step")
	if blocks := len(p.StepBlocks()); blocks != len(p.Steps) {
		steps += " from " + plural(blocks, "step block")
	}
	return steps
}

// countPhrase writes "2 errors and 1 warning", leaving out a zero warning
// count.
func countPhrase(errs, warns int) string {
	if warns == 0 {
		return plural(errs, "error")
	}
	return plural(errs, "error") + " and " + plural(warns, "warning")
}
