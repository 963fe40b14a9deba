package checkcache

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/testcase"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
)

// TestRoundTripEveryPipeline: every pipeline the repository ships comes
// back from the codec equal to the one the front end built, down to nil
// against empty and the dynamic types of variable and setting values.
func TestRoundTripEveryPipeline(t *testing.T) {
	for _, c := range testcase.Repository(t, "..") {
		t.Run(c.Name, func(t *testing.T) {
			res := driver.Check(c.Dir, lang.Options{Vars: c.Vars, VarFiles: c.VarFiles, Environ: c.Environ})
			if res.Pipeline == nil {
				t.Fatalf("does not load: %v", res.Diagnostics)
			}
			roundTrip(t, res.Pipeline)
		})
	}
}

// TestRoundTripValues covers what the repository's pipelines may not: each
// dynamic type of an interface, nil and empty collections, nested blocks.
func TestRoundTripValues(t *testing.T) {
	p := &ir.Pipeline{
		Name:   "p",
		Labels: map[string]string{},
		Variables: []ir.Variable{
			{Name: "a", Value: json.Number("1.5")},
			{Name: "b", Value: []any{"x", true, nil, json.Number("2"), map[string]any{"k": []any{}}}},
			{Name: "c", Value: map[string]any{}},
			{Name: "d", Value: false},
			{Name: "e"},
		},
		Steps: []ir.Step{{Name: "s", Command: []string{}, Env: map[string]string{"A": ""}}},
		Extensions: []*ir.Block{{
			Type: "argo",
			Attrs: map[string]*ir.Value{
				"i": {Value: int64(-7)}, "f": {Value: 0.25}, "l": {Value: []string{"a"}},
				"m": {Value: map[string]string{"k": "v"}}, "n": nil,
			},
			Blocks: map[string][]*ir.Block{"inner": {{Type: "inner", Blocks: map[string][]*ir.Block{}}}},
		}},
	}
	p.IndexSteps()
	roundTrip(t, p)
}

func roundTrip(t *testing.T, p *ir.Pipeline) {
	t.Helper()
	data, err := marshal(nil, entry{Pipeline: p})
	if err != nil {
		t.Fatal(err)
	}
	var back entry
	if err := unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	back.Pipeline.IndexSteps()
	if !reflect.DeepEqual(back.Pipeline, p) {
		want, _ := json.MarshalIndent(p, "", " ")
		got, _ := json.MarshalIndent(back.Pipeline, "", " ")
		t.Errorf("decoded pipeline differs\n--- got\n%s\n--- want\n%s", got, want)
	}
	// Every strict prefix is an error, not a panic or a shorter value.
	for n := 0; n < len(data); n += 1 + len(data)/64 {
		var cut entry
		if err := unmarshal(data[:n], &cut); err == nil {
			t.Fatalf("a prefix of %d of %d bytes decoded", n, len(data))
		}
	}
}

// TestUnencodable: a value the codec cannot write back is refused when
// encoding, so that the cache stores nothing rather than something else.
func TestUnencodable(t *testing.T) {
	for name, v := range map[string]any{
		"func":            struct{ F func() }{},
		"interface value": struct{ V any }{V: struct{}{}},
		"method set":      struct{ E error }{E: os.ErrClosed},
	} {
		if _, err := marshal(nil, v); err == nil {
			t.Errorf("%s: encoded", name)
		}
	}
}

func FuzzUnmarshal(f *testing.F) {
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.wurzel.hcl"), []byte(treePipeline(5)), 0o644); err != nil {
		f.Fatal(err)
	}
	res := driver.Check(dir, lang.Options{})
	seed, err := marshal(nil, entry{Pipeline: res.Pipeline})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		var e entry
		_ = unmarshal(data, &e) // must not panic or allocate without bound
	})
}

// treePipeline is n steps, each depending on its parent in a binary tree.
func treePipeline(n int) string {
	var b strings.Builder
	b.WriteString("pipeline \"tree\" {}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "step \"s%04d\" {\n  command = [\"true\"]\n", i)
		if i > 0 {
			fmt.Fprintf(&b, "  depends_on = [step.s%04d]\n", (i-1)/2)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// TestDeepNesting: data nested far deeper than any encoded value is an
// error; decoding it must not overflow the stack, which would end the
// process.
func TestDeepNesting(t *testing.T) {
	const levels = 2_000_000
	anySlice := byte(0)
	for i, it := range interfaceTypes {
		if it.String() == "[]interface {}" {
			anySlice = byte(i + 1)
		}
	}
	data := make([]byte, 0, 2*levels+1)
	for i := 0; i < levels; i++ {
		data = append(data, anySlice, 2) // a []any of one element, which is
	}
	data = append(data, 0) // ... and at the bottom nil
	var v any
	if err := unmarshal(data, &v); err == nil {
		t.Fatal("decoded")
	}
	// Within the limit it decodes.
	shallow := append(data[len(data)-2*100-1:len(data):len(data)], []byte{}...)
	if err := unmarshal(shallow, &v); err != nil {
		t.Fatalf("100 levels: %v", err)
	}
}
