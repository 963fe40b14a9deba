package yamlfile

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// FuzzDecode: a params file is a file users edit by hand, so no content
// may crash the runner, decoding is deterministic, and every entry is
// either a single value's text or a shape. A mapping of one string to
// another, as a YAML encoder writes it, decodes to that string exactly.
func FuzzDecode(f *testing.F) {
	for _, seed := range []struct{ data, key, value string }{
		{"greeting: hello\n", "greeting", "hello"},
		{"n: 0777\nyes: on\n", "n", "0777"},
		{"a: &x 1\nb: *x\nc: [1, 2]\nd: {e: f}\n", "ratio", "1e3"},
		{"- a\n- b\n", "key", "multi\nline\n"},
		{"a: b: c\n", "", ""},
		{"%YAML 1.1\n---\nx: !!binary aGk=\n", "tab", "\t"},
	} {
		f.Add([]byte(seed.data), seed.key, seed.value)
	}
	f.Fuzz(func(t *testing.T, data []byte, key, value string) {
		got, err := Decode("params.yaml", data)
		again, err2 := Decode("params.yaml", data)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(got, again) {
			t.Fatalf("Decode is not deterministic: %v, %v / %v, %v", got, err, again, err2)
		}
		for k, e := range got {
			if e.Shape != "" && e.Text != "" {
				t.Fatalf("entry %q has both text %q and shape %q", k, e.Text, e.Shape)
			}
		}
		if !utf8.ValidString(key) || !utf8.ValidString(value) {
			return
		}
		doc, err := yaml.Marshal(map[string]string{key: value})
		if err != nil {
			return
		}
		entries, err := Decode("params.yaml", doc)
		if err != nil {
			t.Fatalf("Decode of %q: %v", doc, err)
		}
		if e := entries[key]; e.Shape != "" || e.Text != value {
			t.Fatalf("Decode of %q: entry %+v, want the text %q", doc, e, value)
		}
	})
}
