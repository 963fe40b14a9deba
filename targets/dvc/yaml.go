package dvc

import "github.com/wurzel-dev/wurzel/internal/yamlout"

// yamlOptions are those of every YAML file the target writes: a comment
// header, and sequences indented under their key as in DVC's documentation.
func yamlOptions(header string) yamlout.Options {
	return yamlout.Options{Header: header, Layout: yamlout.IndentedLayout}
}
