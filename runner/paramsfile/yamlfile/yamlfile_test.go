package yamlfile

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/runner/paramsfile"
)

func TestDecode(t *testing.T) {
	got, err := Decode("params.yaml", []byte(`
greeting: hello
count: 0777
quoted: "yes"
ratio: &r 1e3
again: *r
nested: {a: 1}
items: [1, 2]
empty:
tilde: ~
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]paramsfile.Entry{
		"greeting": {Text: "hello"},
		"count":    {Text: "0777"},
		"quoted":   {Text: "yes"},
		"ratio":    {Text: "1e3"},
		"again":    {Text: "1e3"},
		"nested":   {Shape: "a mapping"},
		"items":    {Shape: "a list"},
		"empty":    {Shape: "null"},
		"tilde":    {Shape: "null"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Decode:\n got %v\nwant %v", got, want)
	}
}

func TestDecodeEmptyFile(t *testing.T) {
	got, err := Decode("params.yaml", nil)
	if err != nil || len(got) != 0 {
		t.Errorf("Decode of an empty file = %v, %v; want no entries and no error", got, err)
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, c := range map[string]struct{ data, want string }{
		"not YAML":      {"a: [1,\n", "params.yaml is not YAML: "},
		"not a mapping": {"- a\n- b\n", "params.yaml must be a mapping of variable names to values"},
		"a scalar":      {"hello\n", "params.yaml must be a mapping of variable names to values"},
	} {
		_, err := Decode("params.yaml", []byte(c.data))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one starting %q", name, err, c.want)
		}
	}
}

// TestRegisters: importing the package is what gives a program a params
// file decoder.
func TestRegisters(t *testing.T) {
	decode, err := paramsfile.Lookup()
	if err != nil {
		t.Fatal("no decoder registered")
	}
	got, err := decode("params.yaml", []byte("a: b\n"))
	if err != nil || got["a"].Text != "b" {
		t.Errorf("the registered decoder = %v, %v", got, err)
	}
}
