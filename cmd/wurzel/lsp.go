package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/lsp"
	"github.com/wurzel-dev/wurzel/targets"
)

func init() { register(newLSPCmd) }

func newLSPCmd(a *app) *cobra.Command {
	var vars varFlags
	cmd := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server on standard input and output",
		Long: `Lsp runs wurzel's language server, speaking the Language Server Protocol over
standard input and output, for editors: diagnostics as "wurzel validate"
reports them (for the whole pipeline directory of the edited file, unsaved
buffers included), completion, hover documentation, go to definition, find
references, document symbols and formatting as "wurzel fmt" formats.

Variables are read from WURZEL_VAR_<name> in the server's environment and
from --var and --var-file, as for validate. See docs/editors.md for editor
set-up. The server logs its own problems to standard error.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			srv := lsp.New(lsp.Options{
				Load:    vars.options(a.environ),
				Targets: backend.Lenient(targets.All()...), // as validate without --target
				Version: version,
				Log:     a.stderr,
			})
			// The protocol asks for exit code 1 when the client exits
			// without a shutdown request first.
			if err := srv.Serve(context.Background(), stdio{a.stdin, a.stdout}); err != nil {
				return exitCode(1)
			}
			return nil
		},
	}
	vars.register(cmd)
	return cmd
}

// stdio joins the process's streams into the one stream the server speaks
// over. Closing it closes neither: the process ends right after.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }
