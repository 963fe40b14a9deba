package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/graph"
)

func init() { register(newGraphCmd) }

func newGraphCmd(a *app) *cobra.Command {
	var (
		vars   varFlags
		format string
	)
	cmd := &cobra.Command{
		Use:   "graph [PATH]",
		Short: "Print the pipeline's dependency graph (Mermaid or DOT)",
		Long: `Graph loads and checks the pipeline at PATH (default: the current directory) and
prints its steps and their dependencies: a Mermaid flowchart (--format
mermaid, the default; GitHub renders it inside a ` + "```mermaid" + ` block) or a
Graphviz digraph (--format dot; render it with "dot -Tsvg").

Data edges go from the producing to the consuming step and are labelled by
the output's name; ordering edges (depends_on) are dashed.
Exit status: 0 on success, 1 when the pipeline is invalid, 2 for usage errors.`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completePipelinePath,
		RunE: func(_ *cobra.Command, args []string) error {
			f := graph.Format(format)
			if f != graph.Mermaid && f != graph.DOT {
				return usageError(fmt.Errorf("unknown --format %q (want mermaid or dot)", format))
			}
			p, err := a.loadForInsight(pathArg(args), vars)
			if err != nil {
				return err
			}
			out, err := graph.Render(p, f)
			if err != nil {
				return err
			}
			_, err = a.stdout.Write(out)
			return err
		},
	}
	vars.register(cmd)
	cmd.Flags().StringVar(&format, "format", string(graph.Mermaid), "output `FORMAT`: mermaid or dot")
	_ = cmd.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{string(graph.Mermaid), string(graph.DOT)}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}
