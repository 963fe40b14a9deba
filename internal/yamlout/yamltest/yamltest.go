package yamltest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"testing"

	yaml11 "go.yaml.in/yaml/v2"
	yaml12 "go.yaml.in/yaml/v3"
)

// Read decodes every document of the stream data with both readers, fails
// t unless they agree, and returns the documents as the YAML 1.2 reader
// gives them (mappings as map[string]any).
func Read(t testing.TB, data []byte) []any {
	t.Helper()
	docs11, err := decodeAll(yaml11.NewDecoder(bytes.NewReader(data)), normalize)
	if err != nil {
		t.Fatalf("YAML 1.1 reader: %v\n%s", err, data)
	}
	docs12, err := decodeAll(yaml12.NewDecoder(bytes.NewReader(data)), func(v any) any { return v })
	if err != nil {
		t.Fatalf("YAML 1.2 reader: %v\n%s", err, data)
	}
	if !reflect.DeepEqual(docs11, docs12) {
		t.Fatalf("YAML 1.1 and 1.2 readers disagree:\nYAML 1.1: %#v\nYAML 1.2: %#v\n%s", docs11, docs12, data)
	}
	return docs12
}

// ReadOne is Read for a single document.
func ReadOne(t testing.TB, data []byte) any {
	t.Helper()
	docs := Read(t, data)
	if len(docs) != 1 {
		t.Fatalf("%d YAML documents, want 1\n%s", len(docs), data)
	}
	return docs[0]
}

func decodeAll(dec interface{ Decode(any) error }, norm func(any) any) ([]any, error) {
	var out []any
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		out = append(out, norm(v))
	}
}

// normalize turns yaml.v2's map[interface{}]interface{} into
// map[string]any, the form yaml.v3 gives, marking a non-string key (which
// would itself be a misreading) so that the comparison fails.
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
