package yamlout

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	yaml12 "go.yaml.in/yaml/v3"
	k8syaml "sigs.k8s.io/yaml"

	"github.com/wurzel-dev/wurzel/internal/yamlout/yamltest"
)

// FuzzScalarRoundTrip writes any string as a key, a value and a sequence
// item, in both layouts, and requires the YAML 1.1 and 1.2 readers of
// yamltest both to read back exactly that string (with each byte of invalid
// UTF-8 replaced, as Marshal does).
func FuzzScalarRoundTrip(f *testing.F) {
	for _, s := range trickyScalars {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := replaceInvalidBytes(s)
		doc, keys := Map(), Map()
		Put(doc, "v", String(s))
		Put(doc, "l", Seq(String(s)))
		if s != "" {
			Put(keys, s, String("k"))
			Put(doc, "keys", keys)
		}
		for _, layout := range []Layout{KubernetesLayout, IndentedLayout} {
			data, err := Marshal(Options{Layout: layout}, doc)
			if err != nil {
				t.Fatalf("writing %q: %v", s, err)
			}
			v12 := yamltest.ReadOne(t, data).(map[string]any)
			if v12["v"] != want || v12["l"].([]any)[0] != want || (s != "" && v12["keys"].(map[string]any)[want] != "k") {
				t.Fatalf("%q read back as %#v\n%s", s, v12, data)
			}
		}
	})
}

// replaceInvalidBytes is s with each byte of invalid UTF-8 replaced by
// U+FFFD, as Marshal writes it.
func replaceInvalidBytes(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r) // ranging over a string yields U+FFFD for each bad byte
	}
	return b.String()
}

// FuzzYAMLString writes a string and a number the way parameter files are
// written ([Value]) and reads them back with the YAML 1.1 reader Kubernetes
// tools use (sigs.k8s.io/yaml) and a YAML 1.2 reader: both must give the
// value's own JSON.
func FuzzYAMLString(f *testing.F) {
	for _, s := range []string{"yes", "on", "y", "0777", "1e3", ".inf", "~", "a: b", "- x", "#", "${x}", "\\${x}",
		"multi\nline", "\t", "é", "\u0085", "\u2028", "\ufeffx", "null", "=", "<<", "12:30", "0x1F", "+1", "a b"} {
		f.Add(s, 1e3)
	}
	f.Add("tiny", 2.5e-7)
	f.Add("huge", -1.7976931348623157e308)
	f.Fuzz(func(t *testing.T, s string, x float64) {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			t.Skip("JSON, where values come from, has no infinities or NaN")
		}
		s = replaceInvalidBytes(s)
		value := map[string]any{s: s, "list": []any{s, x}}
		n, err := Value(value)
		if err != nil {
			t.Fatal(err)
		}
		data, err := Marshal(Options{Layout: IndentedLayout}, n)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(value)
		if err != nil {
			t.Fatal(err)
		}
		j11, err := k8syaml.YAMLToJSON(data)
		if err != nil {
			t.Fatalf("YAML 1.1 reader: %v\n%s", err, data)
		}
		var v12 any
		if err := yaml12.Unmarshal(data, &v12); err != nil {
			t.Fatalf("YAML 1.2 reader: %v\n%s", err, data)
		}
		j12, err := json.Marshal(v12)
		if err != nil {
			t.Fatal(err)
		}
		if string(j11) != string(want) || string(j12) != string(want) {
			t.Fatalf("read back differently:\nwant %s\n1.1  %s\n1.2  %s\n%s", want, j11, j12, data)
		}
	})
}
