package yamlout

import (
	"fmt"
	"io"
	"testing"

	"go.yaml.in/yaml/v3"
)

// benchDocument is a mapping with n entries shaped like a step's template:
// a few short strings, a nested mapping and a sequence of mappings.
func benchDocument(n int) *yaml.Node {
	templates := Seq()
	for i := range n {
		t := Map()
		Put(t, "name", String(fmt.Sprintf("step-%d", i)))
		c := Map()
		Put(c, "image", String("ghcr.io/acme/train:2.0"))
		Put(c, "command", Strings([]string{"/wurzel/bin/wurzel", "step", "exec"}))
		env := Seq()
		for j := range 4 {
			e := Map()
			Put(e, "name", String(fmt.Sprintf("VAR_%d", j)))
			Put(e, "value", String(`{"a": "b", "yes": 1}`))
			env.Content = append(env.Content, e)
		}
		Put(c, "env", env)
		Put(t, "container", c)
		templates.Content = append(templates.Content, t)
	}
	doc := Map()
	Put(doc, "kind", String("Workflow"))
	Put(doc, "templates", templates)
	return doc
}

// BenchmarkMarshal writes documents of growing size: the time per step
// should stay flat.
func BenchmarkMarshal(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		doc := benchDocument(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Marshal(Options{}, doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLibraryEncoder writes the same documents with yaml.v3's own
// Encoder, which Marshal stands in for: compare the two.
func BenchmarkLibraryEncoder(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{benchDocument(n)}}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				enc := yaml.NewEncoder(io.Discard)
				enc.CompactSeqIndent()
				if err := enc.Encode(doc); err != nil {
					b.Fatal(err)
				}
				if err := enc.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
