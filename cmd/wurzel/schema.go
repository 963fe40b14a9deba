package main

import (
	"github.com/spf13/cobra"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/jsonschema"
)

func init() { register(newSchemaCmd) }

func newSchemaCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of .wurzel.hcl.json files",
		Long: `Schema prints the JSON Schema (draft 2020-12) of pipeline files written in
HCL's JSON syntax (*.wurzel.hcl.json), generated from the language's own
schema. Point an editor's JSON support at it for completion, checks and
documentation while editing JSON pipelines; see docs/editors.md.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := a.stdout.Write(jsonschema.Generate(driver.Schema()))
			return err
		},
	}
}
