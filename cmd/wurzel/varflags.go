package main

import (
	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/lang"
)

// varFlags are the flags that give variable values, shared by every command
// that loads a pipeline.
type varFlags struct {
	files []string
	vars  []string
}

func (f *varFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.files, "var-file", nil, "read variable values from an HCL `FILE` of name = value (repeatable)")
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "set a variable: `name=value` (repeatable)")
}

// options returns the front end's options for the process environment env.
func (f *varFlags) options(env []string) lang.Options {
	return lang.Options{VarFiles: f.files, Vars: f.vars, Environ: env}
}
