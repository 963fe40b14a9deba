package yamlout

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	yaml11 "go.yaml.in/yaml/v2"
	yaml12 "go.yaml.in/yaml/v3"
	k8syaml "sigs.k8s.io/yaml"

	"github.com/wurzel-dev/wurzel/internal/yamlout/yamltest"
)

// trickyScalars are strings a YAML 1.1 or 1.2 reader would take for
// something else if they were written plain, and a few that are safe plain.
var trickyScalars = []string{
	"yes", "no", "on", "off", "y", "n", "Y", "N", "Yes", "NO", "On", "OFF", "true", "False", "TRUE",
	"~", "null", "Null", "NULL", "", " ", "0777", "0o17", "0x1F", "0b101", "1e3", "1E3", "-1", "+1", ".5", "1.",
	"1_000", "1:20", "190:20:30", "190:20:30.15", "12:30:00", ".inf", "-.inf", "+.INF", ".nan", ".NaN", "2001-12-14",
	"2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2002-12-14", "=", "<<", "- a", "-", "a: b",
	"a:", ":a", "#c", "a #b", "a#b", "@x", "`x", "!x", "!!str", "&x", "*x", "|", ">", "%x", "'q'", `"dq"`, "{a}",
	"[a]", "a,b", "a[0]", "x{{y}}", "?", "? a", "a ?b", " lead", "trail ", "a  b", "a b", "a - b", "a: b: c",
	"multi\nline\n", "tab\there", "cr\rhere", "uni\u00e9", "sep\u2028x", "par\u2029x", "nel\u0085x",
	"bom\ufeffx", "ctl\x01\x7f", "nul\x00x", "esc\x1b", "back\\slash", "$HOME", "--- ", "...", "---",
	"a\n---\nb", "{{x}}", "/abs/path", "_under", "plain-word", "image:1.2", "http://x:80/y", "C:\\x", "é",
	"\u00a0nbsp", "emoji \U0001F600", "10m", "32Mi", "1.2.3", "v1.2", "a=b", "a+b", "a~", "a&&b", "a|b", "a>b",
	"it's", `say "hi"`, "x!", "*", "&", "yes please", "no way",
}

// mustBePlain are strings every reader reads back unchanged when plain; the
// rule must not quote them.
var mustBePlain = []string{
	"/wurzel/bin/wurzel", "plain-word", "ghcr.io/acme/x:1.2", "OnFailure", "_x", "WURZEL_STEP", "a b",
	"wurzel step exec --spec wurzel/steps/a.json", "http://x:80/y", "a=b", "yes please", "a - b", "a :b",
	"Fetch the seed lists", "python3 -m train --epochs=3", "x+y", "no way",
}

// plainTricky are the tricky strings that are safe plain.
var plainTricky = map[string]bool{
	"a b": true, "a - b": true, "/abs/path": true, "_under": true, "plain-word": true, "image:1.2": true,
	"http://x:80/y": true, "v1.2": true, "a=b": true, "a+b": true, "yes please": true, "no way": true,
}

// TestPlainMatchesItsDefinition compares the rule with a regular expression
// for its points 1 to 4 (and the list of words of point 5) on every string
// of up to three characters from an alphabet with a member of each class
// the rule names.
func TestPlainMatchesItsDefinition(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z_/](?: ?:*[A-Za-z0-9_./+=-])*$`)
	alphabet := []string{"a", "Z", "_", "/", "0", ".", "-", "+", "=", ":", " ", "#", "&", "\t", "é", "{", "'", "~"}
	var each func(prefix string, n int)
	each = func(prefix string, n int) {
		if got, want := Plain(prefix), re.MatchString(prefix) && !yaml11Word(prefix); got != want {
			t.Errorf("Plain(%q) = %v, the definition says %v", prefix, got, want)
		}
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			each(prefix+c, n-1)
		}
	}
	each("", 3)
}

func TestPlain(t *testing.T) {
	for _, s := range mustBePlain {
		if !Plain(s) {
			t.Errorf("%q should be written plain", s)
		}
	}
	for _, s := range trickyScalars {
		if got, want := Plain(s), plainTricky[s]; got != want {
			t.Errorf("Plain(%q) = %v, want %v", s, got, want)
		}
	}
	for _, s := range []string{"YES", "yEs", "oN", "nULL", "fAlSe", "a\tb", "--- ", "a\x00", "a:", "a: b", "a ", "a  b",
		"a #b", "a#b", "a&&b", "it's", "x!", `say "hi"`, "C:\\x", "a~", "$HOME", "{{x}}", "é"} {
		if Plain(s) {
			t.Errorf("%q must be quoted", s)
		}
	}
}

// TestPlainIsWrittenPlain makes sure Marshal honours the rule: a string
// Plain allows comes out bare, any other one double-quoted.
func TestPlainIsWrittenPlain(t *testing.T) {
	for _, s := range append(append([]string{}, trickyScalars...), mustBePlain...) {
		if !Plain(s) && (strings.ContainsAny(s, "\"\\") || !isPrintable(s)) {
			continue // escaped inside the quotes
		}
		m := Map()
		Put(m, "k", String(s))
		data, err := Marshal(Options{}, m)
		if err != nil {
			t.Fatal(err)
		}
		want := "k: " + s + "\n"
		if !Plain(s) {
			want = "k: \"" + s + "\"\n"
		}
		if string(data) != want {
			t.Errorf("%q written as %q, want %q", s, data, want)
		}
	}
}

// TestEscapes pins the escapes of double-quoted strings: only those YAML
// 1.1 and 1.2 share, and \uXXXX for everything a reader may not take raw or
// that YAML 1.1 reads as a line break.
func TestEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"a\"b\\c":                  `"a\"b\\c"`,
		"l1\nl2\r\tx":              `"l1\nl2\r\tx"`,
		"ctl\x00\x01\x1b\x7f":      `"ctl\u0000\u0001\u001B\u007F"`,
		"nel\u0085 c1\u009f":       `"nel\u0085 c1\u009F"`,
		"ls\u2028ps\u2029":         `"ls\u2028ps\u2029"`,
		"bom\ufeff nc\ufffe\uffff": `"bom\uFEFF nc\uFFFE\uFFFF"`,
		"é \u00a0 😀":               "\"é \u00a0 😀\"", // printable: raw
		"bad\xff":                  `"bad\uFFFD"`,
	} {
		data, err := Marshal(Options{}, String(in))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSuffix(string(data), "\n"); got != want {
			t.Errorf("%q written as %s, want %s", in, got, want)
		}
	}
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xa0 {
			return false
		}
	}
	return true
}

// trickyDocument holds every tricky string as a value, a sequence item and
// a key, long keys (written in the explicit "? key" form) and nested and
// empty collections.
func trickyDocument() *yaml12.Node {
	values, keys, list := Map(), Map(), Seq()
	for i, s := range trickyScalars {
		Put(values, fmt.Sprintf("k%03d", i), String(s))
		list.Content = append(list.Content, String(s))
		if s != "" {
			Put(keys, s, Int(int64(i)))
		}
	}
	long := strings.Repeat("long-key/", 40)
	onOff := Map()
	Put(onOff, "on", String("off"))
	Put(keys, long+"seq", Strings([]string{"yes", "a"}))
	Put(keys, long+"map", onOff)
	Put(keys, long+"empty", Map())
	Put(keys, "\x10"+long, String("quoted long key"))
	doc := Map()
	Put(doc, "values", values)
	Put(doc, "list", list)
	Put(doc, "keys", keys)
	Put(doc, "nested", Seq(Strings([]string{"yes", "no"}), Map(), Seq(), Bool(true), Null(), Int(-3)))
	return doc
}

// TestReadersAgree writes the tricky document in both layouts and reads it
// back with a YAML 1.1 reader (go.yaml.in/yaml/v2, which resolves yes, on
// and 0777 the 1.1 way) and a YAML 1.2 reader (go.yaml.in/yaml/v3): both
// must see exactly the original strings.
func TestReadersAgree(t *testing.T) {
	for _, layout := range []Layout{KubernetesLayout, IndentedLayout} {
		data, err := Marshal(Options{Layout: layout, Header: "a header\nof two lines"}, trickyDocument(), trickyDocument())
		if err != nil {
			t.Fatal(err)
		}
		docs := yamltest.Read(t, data)
		if len(docs) != 2 {
			t.Fatalf("%d documents read back, want 2\n%s", len(docs), data)
		}
		got := docs[1].(map[string]any)
		long := strings.Repeat("long-key/", 40)
		if k := got["keys"].(map[string]any); !reflect.DeepEqual(k[long+"seq"], []any{"yes", "a"}) ||
			!reflect.DeepEqual(k[long+"map"], map[string]any{"on": "off"}) || k["\x10"+long] != "quoted long key" {
			t.Errorf("long keys read back as %#v, %#v and %#v", k[long+"seq"], k[long+"map"], k["\x10"+long])
		}
		if n := got["nested"]; !reflect.DeepEqual(n, []any{[]any{"yes", "no"}, map[string]any{}, []any{}, true, nil, -3}) {
			t.Errorf("nested collections read back as %#v", n)
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
}

func TestLayouts(t *testing.T) {
	item := Map()
	Put(item, "name", String("a"))
	Put(item, "args", Strings([]string{"x", "on"}))
	Put(item, "meta", Map())
	long := strings.Repeat("k", maxImplicitKey+1)
	doc := Map()
	Put(doc, "list", Seq(item, Strings([]string{"n1", "n2"}), Seq(), Map(), Int(1)))
	Put(doc, "empty", Seq())
	Put(doc, "none", Map())
	Put(doc, long, Strings([]string{"v"}))
	for layout, want := range map[Layout]string{
		KubernetesLayout: "list:\n- name: a\n  args:\n  - x\n  - \"on\"\n  meta: {}\n- - n1\n  - n2\n- []\n- {}\n- 1\n" +
			"empty: []\nnone: {}\n? " + long + "\n:\n- v\n",
		IndentedLayout: "list:\n  - name: a\n    args:\n      - x\n      - \"on\"\n    meta: {}\n  - - n1\n    - n2\n  - []\n  - {}\n  - 1\n" +
			"empty: []\nnone: {}\n? " + long + "\n:\n  - v\n",
	} {
		data, err := Marshal(Options{Layout: layout}, doc)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != want {
			t.Errorf("layout %d:\n%s\nwant:\n%s", layout, data, want)
		}
		yamltest.Read(t, data)
	}
}

// TestRefusesWhatItCannotWrite: nodes the constructors never build are
// an error, not a misleading file.
func TestRefusesWhatItCannotWrite(t *testing.T) {
	oddMap := Map()
	oddMap.Content = append(oddMap.Content, String("key"))
	seqKey := Map()
	seqKey.Content = append(seqKey.Content, Seq(String("k")), String("v"))
	for name, n := range map[string]*yaml12.Node{
		"odd mapping":  oddMap,
		"sequence key": seqKey,
		"custom tag":   Seq(&yaml12.Node{Kind: yaml12.ScalarNode, Tag: "!secret", Value: "x"}),
		"alias":        Seq(&yaml12.Node{Kind: yaml12.AliasNode, Alias: String("x")}),
	} {
		if _, err := Marshal(Options{}, n); err == nil {
			t.Errorf("%s: written without an error", name)
		}
	}
}

func TestStream(t *testing.T) {
	a, b := Map(), Map()
	Put(a, "kind", String("A"))
	Put(b, "kind", String("B"))
	for _, c := range []struct {
		opts Options
		docs []*yaml12.Node
		want string
	}{
		{Options{}, []*yaml12.Node{a}, "kind: A\n"},
		{Options{}, []*yaml12.Node{a, b}, "---\nkind: A\n---\nkind: B\n"},
		{Options{Header: "made by\n  a test"}, []*yaml12.Node{a}, "# made by\n#   a test\n\nkind: A\n"},
	} {
		data, err := Marshal(c.opts, c.docs...)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != c.want {
			t.Errorf("got:\n%s\nwant:\n%s", data, c.want)
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	m := Map()
	Put(m, "bad\xff", String("v\xc3"))
	data, err := Marshal(Options{}, m)
	if err != nil {
		t.Fatal(err)
	}
	if want := `"bad\uFFFD": "v\uFFFD"` + "\n"; string(data) != want {
		t.Errorf("got %q, want %q", data, want)
	}
	if v := yamltest.ReadOne(t, data); !reflect.DeepEqual(v, map[string]any{"bad\uFFFD": "v\uFFFD"}) {
		t.Errorf("read back as %#v", v)
	}
}

func TestValue(t *testing.T) {
	v := map[string]any{
		"z": []any{nil, true, "yes", json.Number("1e3"), json.Number("12345678901234567890123"), 2.5e-7, 7, int64(-8)},
		"a": map[string]any{"on": "0777", "b": 1.5e300, "a": json.Number("0.1")},
	}
	n, err := Value(v)
	if err != nil {
		t.Fatal(err)
	}
	data, err := Marshal(Options{Layout: IndentedLayout}, n)
	if err != nil {
		t.Fatal(err)
	}
	want := "a:\n  a: 0.1\n  b: 1.5e+300\n  \"on\": \"0777\"\n" +
		"z:\n  - null\n  - true\n  - \"yes\"\n  - 1000.0\n  - 12345678901234567890123\n  - 2.5e-07\n  - 7\n  - -8\n"
	if string(data) != want {
		t.Errorf("got:\n%s\nwant:\n%s", data, want)
	}
	j11, err := k8syaml.YAMLToJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	var from11, from12 any
	if err := json.Unmarshal(j11, &from11); err != nil {
		t.Fatal(err)
	}
	if err := yaml12.Unmarshal(data, &from12); err != nil {
		t.Fatal(err)
	}
	j12, _ := json.Marshal(from12)
	if err := json.Unmarshal(j12, &from12); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(from11, from12) {
		t.Errorf("readers disagree:\n1.1: %s\n1.2: %s", j11, j12)
	}
	for _, bad := range []any{json.Number("NaN"), json.Number("1e999"), struct{}{}, []any{struct{}{}}} {
		if _, err := Value(bad); err == nil {
			t.Errorf("Value(%#v) was accepted", bad)
		}
	}
}

// TestReaderIsYAML11 makes sure the YAML 1.1 readers used above really
// resolve scalars the YAML 1.1 way, so that agreement means something.
func TestReaderIsYAML11(t *testing.T) {
	var v map[string]any
	if err := yaml11.Unmarshal([]byte("a: yes\nb: on\nc: 0777\n"), &v); err != nil {
		t.Fatal(err)
	}
	if v["a"] != true || v["b"] != true || v["c"] != 511 {
		t.Fatalf("the YAML 1.1 reader reads %#v", v)
	}
	j, err := k8syaml.YAMLToJSON([]byte("a: yes\nb: on\n"))
	if err != nil || string(j) != `{"a":true,"b":true}` {
		t.Fatalf("sigs.k8s.io/yaml reads %s (%v)", j, err)
	}
}
