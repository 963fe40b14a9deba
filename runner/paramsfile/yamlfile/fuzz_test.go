package yamlfile

import (
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/wurzel-dev/wurzel/internal/yamlout"
)

// FuzzDecode: a params file is a file users edit by hand, so no content
// may crash the runner, decoding is deterministic, and every entry is
// either a single value's text or a shape. A mapping of one string to
// another, as the DVC target writes params.yaml (internal/yamlout),
// decodes to that string exactly.
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
		m := yamlout.Map()
		yamlout.Put(m, key, yamlout.String(value))
		doc, err := yamlout.Marshal(yamlout.Options{Header: "params"}, m)
		if err != nil {
			t.Fatalf("yamlout.Marshal of %q: %q: %v", key, value, err)
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
