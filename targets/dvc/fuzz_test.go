package dvc

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	k8syaml "sigs.k8s.io/yaml"
)

// FuzzYAMLString writes any string as a key and a value the way dvc.yaml and
// params.yaml are written, and requires a YAML 1.2 reader and a YAML 1.1
// reader both to read back exactly that string.
func FuzzYAMLString(f *testing.F) {
	for _, s := range []string{"yes", "on", "y", "0777", "1e3", ".inf", "~", "a: b", "- x", "#", "${x}", "\\${x}",
		"multi\nline", "\t", "é", "\u0085", "\u2028", "\ufeffx", "null", "=", "<<", "12:30", "0x1F", "+1", "a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // paths, names and values in the IR are text
		}
		root := newMapping()
		root.add(s, str(s))
		data, err := encodeYAML("", root.node)
		if err != nil {
			t.Fatalf("encoding %q: %v", s, err)
		}
		v12, err := yaml12JSON(data)
		if err != nil {
			t.Fatalf("YAML 1.2 reader: %q: %v\n%s", s, err, data)
		}
		if m, ok := v12.(map[string]any); !ok || len(m) != 1 || m[s] != s {
			t.Fatalf("YAML 1.2 reader read %q as %#v\n%s", s, v12, data)
		}
		j11, err := k8syaml.YAMLToJSON(data)
		if err != nil {
			t.Fatalf("YAML 1.1 reader: %q: %v\n%s", s, err, data)
		}
		var m11 map[string]string
		if err := json.Unmarshal(j11, &m11); err != nil || len(m11) != 1 || m11[s] != s {
			t.Fatalf("YAML 1.1 reader read %q as %s\n%s", s, j11, data)
		}
	})
}
