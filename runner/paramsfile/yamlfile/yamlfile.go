package yamlfile

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/runner/paramsfile"
)

func init() { paramsfile.Register(Decode) }

// Decode reads the top-level keys of the YAML mapping data, the file
// name's contents.
func Decode(name string, data []byte) (map[string]paramsfile.Entry, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s is not YAML: %v", name, err)
	}
	out := map[string]paramsfile.Entry{}
	if len(doc.Content) == 0 {
		return out, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s must be a mapping of variable names to values", name)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		out[root.Content[i].Value] = entry(root.Content[i+1])
	}
	return out, nil
}

func entry(n *yaml.Node) paramsfile.Entry {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch {
	case n.Kind == yaml.MappingNode:
		return paramsfile.Entry{Shape: "a mapping"}
	case n.Kind == yaml.SequenceNode:
		return paramsfile.Entry{Shape: "a list"}
	case n.Kind != yaml.ScalarNode || n.Tag == "!!null":
		return paramsfile.Entry{Shape: "null"}
	}
	return paramsfile.Entry{Text: n.Value}
}
