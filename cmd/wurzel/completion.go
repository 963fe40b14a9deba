package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() { register(newCompletionCmd) }

// newCompletionCmd replaces cobra's default completion command so that it
// follows wurzel's conventions (exit status 2 for usage errors) and says how
// to install each script.
func newCompletionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Completion prints the script that makes the shell complete wurzel's commands,
flags and arguments. For example:

  bash:        source <(wurzel completion bash)
  zsh:         wurzel completion zsh > "${fpath[1]}/_wurzel"
  fish:        wurzel completion fish > ~/.config/fish/completions/wurzel.fish
  powershell:  wurzel completion powershell | Out-String | Invoke-Expression`,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		Args:                  cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(a.stdout, true)
			case "zsh":
				return root.GenZshCompletion(a.stdout)
			case "fish":
				return root.GenFishCompletion(a.stdout, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(a.stdout)
			}
			return usageError(fmt.Errorf("unknown shell %q", args[0]))
		},
	}
}
