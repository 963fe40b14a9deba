package argo

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	yaml11 "go.yaml.in/yaml/v2"
	yaml12 "go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/targets/argo/internal/fixtures"
)

// trickyScalars are strings a YAML 1.1 or 1.2 reader would take for
// something else if they were written plain.
var trickyScalars = []string{
	"yes", "no", "on", "off", "y", "n", "Y", "N", "Yes", "NO", "On", "OFF", "true", "False", "TRUE",
	"~", "null", "Null", "NULL", "", " ", "0777", "0o17", "0x1F", "0b101", "1e3", "1E3", "-1", "+1", ".5", "1.",
	"1_000", "1:20", "190:20:30", "12:30:00", ".inf", "-.inf", "+.INF", ".nan", ".NaN", "2001-12-14",
	"2001-12-14t21:59:43.10-05:00", "2002-12-14", "=", "<<", "- a", "-", "a: b", "a:", ":a", "#c", "a #b", "@x", "`x",
	"!x", "!!str", "&x", "*x", "|", ">", "%x", "'q'", `"dq"`, "{a}", "[a]", "a,b", "?", "? a", " lead", "trail ",
	"multi\nline\n", "tab\there", "cr\rhere", "uni\u00e9", "sep\u2028x", "nel\u0085x", "bom\ufeffx", "ctl\x01\x7f",
	"back\\slash", "$HOME", "--- ", "...", "---", "a\n---\nb", "{{x}}", "/abs/path", "_under", "plain-word",
	"image:1.2", "C:\\x", "é", "\u00a0nbsp",
}

func TestPlainOnlyWhenUnambiguous(t *testing.T) {
	for _, s := range []string{"/wurzel/bin/wurzel", "plain-word", "ghcr.io/acme/x:1.2", "OnFailure", "_x", "WURZEL_STEP"} {
		if !isPlainSafe(s) {
			t.Errorf("%q should be written plain", s)
		}
	}
	for _, s := range trickyScalars {
		if isPlainSafe(s) && s != "/abs/path" && s != "_under" && s != "plain-word" && s != "image:1.2" {
			t.Errorf("%q must be quoted", s)
		}
	}
}

// TestYAMLReadersAgree writes every tricky string as a key and a value and
// reads the document back with a YAML 1.1 reader (go.yaml.in/yaml/v2, which
// resolves yes/on/0777 the 1.1 way) and a YAML 1.2 reader
// (go.yaml.in/yaml/v3): both must see exactly the original strings.
func TestYAMLReadersAgree(t *testing.T) {
	m := &mapping{}
	values := sequence{}
	for i, s := range trickyScalars {
		m.set(fmt.Sprintf("k%03d", i), s)
		values = append(values, s)
	}
	keys := &mapping{}
	for i, s := range trickyScalars {
		if s != "" {
			keys.set(s, i)
		}
	}
	long := strings.Repeat("long-key/", 40)
	keys.set(long+"seq", sequence{"yes", "a"}).set(long+"map", (&mapping{}).set("on", "off")).set(long+"empty", &mapping{})
	doc := (&mapping{}).set("values", m).set("list", values).set("keys", keys).
		set("nested", sequence{sequence{"yes", "no"}, &mapping{}, sequence{}})
	data := emitDocuments([]*mapping{doc}, 0)

	var v11 any
	if err := yaml11.Unmarshal(data, &v11); err != nil {
		t.Fatalf("YAML 1.1 reader: %v\n%s", err, data)
	}
	var v12 any
	if err := yaml12.Unmarshal(data, &v12); err != nil {
		t.Fatalf("YAML 1.2 reader: %v\n%s", err, data)
	}
	n11 := normalize(v11)
	if !reflect.DeepEqual(n11, v12) {
		t.Fatalf("readers disagree:\nYAML 1.1: %#v\nYAML 1.2: %#v", n11, v12)
	}
	got := v12.(map[string]any)
	if k := got["keys"].(map[string]any); !reflect.DeepEqual(k[long+"seq"], []any{"yes", "a"}) ||
		!reflect.DeepEqual(k[long+"map"], map[string]any{"on": "off"}) {
		t.Errorf("long keys read back as %#v and %#v", k[long+"seq"], k[long+"map"])
	}
	for i, s := range trickyScalars {
		if v := got["values"].(map[string]any)[fmt.Sprintf("k%03d", i)]; v != s {
			t.Errorf("value %q read back as %#v", s, v)
		}
		if v := got["list"].([]any)[i]; v != s {
			t.Errorf("list item %q read back as %#v", s, v)
		}
		if s == "" {
			continue
		}
		if v, ok := got["keys"].(map[string]any)[s]; !ok || v != i {
			t.Errorf("key %q not read back (%#v)", s, v)
		}
	}
}

// TestGeneratedStreamsReadTheSame checks every fixture's output with both
// readers.
func TestGeneratedStreamsReadTheSame(t *testing.T) {
	for _, c := range fixtures.All() {
		files, err := New().Generate(c.Pipeline, backend.GenerateOptions{Version: "dev"})
		if err != nil {
			t.Fatal(err)
		}
		docs11 := decodeAll11(t, files[0].Data)
		docs12 := decodeAll12(t, files[0].Data)
		if !reflect.DeepEqual(docs11, docs12) {
			t.Errorf("%s: YAML 1.1 and 1.2 readers disagree", c.Name)
		}
		if want := 1 + boolToInt(optionsOf(c.Pipeline).Template.Value); len(docs12) != want {
			t.Errorf("%s: %d documents, want %d", c.Name, len(docs12), want)
		}
	}
}

// TestTrickyStringsSurvive checks that the env values of the tricky fixture
// reach the container exactly (after Kubernetes' $$ unescaping).
func TestTrickyStringsSurvive(t *testing.T) {
	p := fixtures.TrickyStrings()
	files, err := New().Generate(p, backend.GenerateOptions{Version: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	docs := decodeAll12(t, files[0].Data)
	spec := docs[0].(map[string]any)["spec"].(map[string]any)
	tmpl := spec["templates"].([]any)[1].(map[string]any)
	env := tmpl["container"].(map[string]any)["env"].([]any)
	got := map[string]string{}
	for _, e := range env {
		e := e.(map[string]any)
		got[e["name"].(string)] = strings.ReplaceAll(e["value"].(string), "$$", "$")
	}
	for k, want := range backend.StepEnv(&p.Steps[0]) {
		if want != got[k] {
			t.Errorf("env %s: got %q, want %q", k, got[k], want)
		}
	}
	labels := docs[0].(map[string]any)["metadata"].(map[string]any)["labels"].(map[string]any)
	for k, want := range p.Labels {
		if labels[k] != want {
			t.Errorf("label %s: got %#v, want %q", k, labels[k], want)
		}
	}
}

// TestReaderIsYAML11 makes sure the YAML 1.1 reader used above really
// resolves scalars the YAML 1.1 way, so that agreement means something.
func TestReaderIsYAML11(t *testing.T) {
	var v map[string]any
	if err := yaml11.Unmarshal([]byte("a: yes\nb: on\nc: 0777\n"), &v); err != nil {
		t.Fatal(err)
	}
	if v["a"] != true || v["b"] != true || v["c"] != 511 {
		t.Fatalf("the YAML 1.1 reader reads %#v", v)
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func decodeAll11(t *testing.T, data []byte) []any {
	t.Helper()
	return decodeAll(t, yaml11.NewDecoder(bytes.NewReader(data)), "YAML 1.1", normalize)
}

func decodeAll12(t *testing.T, data []byte) []any {
	t.Helper()
	return decodeAll(t, yaml12.NewDecoder(bytes.NewReader(data)), "YAML 1.2", func(v any) any { return v })
}

// decodeAll reads every document of a stream with one of the two readers,
// turning each into the common form with norm.
func decodeAll(t *testing.T, dec interface{ Decode(any) error }, reader string, norm func(any) any) []any {
	t.Helper()
	var out []any
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			if err.Error() == "EOF" {
				return out
			}
			t.Fatalf("%s reader: %v", reader, err)
		}
		out = append(out, norm(v))
	}
}

// normalize turns yaml.v2's map[interface{}]interface{} into
// map[string]any, the form yaml.v3 gives, failing loudly on a non-string
// key (which would itself be a misreading).
func normalize(v any) any {
	switch v := v.(type) {
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, val := range v {
			ks, ok := k.(string)
			if !ok {
				ks = fmt.Sprintf("NON-STRING KEY %T %v", k, k)
			}
			out[ks] = normalize(val)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, val := range v {
			out[i] = normalize(val)
		}
		return out
	}
	return v
}

// FuzzScalarRoundTrip writes any valid UTF-8 string as a key and a value and
// requires both YAML readers to read back exactly that string.
func FuzzScalarRoundTrip(f *testing.F) {
	for _, s := range trickyScalars {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip("strings in the IR are valid UTF-8")
		}
		doc := (&mapping{}).set("v", s).set("l", sequence{s})
		if s != "" {
			doc.set("keys", (&mapping{}).set(s, "k"))
		}
		data := emitDocuments([]*mapping{doc}, 0)
		var v11 any
		if err := yaml11.Unmarshal(data, &v11); err != nil {
			t.Fatalf("YAML 1.1 reader: %v\n%s", err, data)
		}
		var v12 map[string]any
		if err := yaml12.Unmarshal(data, &v12); err != nil {
			t.Fatalf("YAML 1.2 reader: %v\n%s", err, data)
		}
		if !reflect.DeepEqual(normalize(v11), any(v12)) {
			t.Fatalf("readers disagree on %q:\n%#v\n%#v", s, normalize(v11), v12)
		}
		if v12["v"] != s || v12["l"].([]any)[0] != s || (s != "" && v12["keys"].(map[string]any)[s] != "k") {
			t.Fatalf("%q read back as %#v", s, v12)
		}
	})
}
