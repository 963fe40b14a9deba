package yamltest

import (
	"reflect"
	"testing"
)

// recorder is a testing.TB that remembers a fatal failure instead of
// ending the test, so that Read's own failures can be checked.
type recorder struct {
	testing.TB
	failed bool
}

type stopped struct{}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(string, ...any) {
	r.failed = true
	panic(stopped{})
}

// read runs Read and reports whether it failed.
func read(t *testing.T, data string) (docs []any, failed bool) {
	r := &recorder{TB: t}
	defer func() {
		if v := recover(); v != nil && v != (stopped{}) {
			panic(v)
		}
		failed = r.failed
	}()
	return Read(r, []byte(data)), false
}

func TestReadersMustAgree(t *testing.T) {
	for _, data := range []string{"a: yes\n", "on: x\n", "a: [y, n]\n", "- Off\n"} {
		if _, failed := read(t, data); !failed {
			t.Errorf("%q: the readers read it differently, but Read did not fail", data)
		}
	}
	if _, failed := read(t, "a: [1\n"); !failed {
		t.Errorf("broken YAML did not fail")
	}
}

func TestReadAgreed(t *testing.T) {
	docs, failed := read(t, "---\na: \"yes\"\nb: [1, 2.5, true, null]\n---\n- x\n")
	want := []any{map[string]any{"a": "yes", "b": []any{1, 2.5, true, nil}}, []any{"x"}}
	if failed || !reflect.DeepEqual(docs, want) {
		t.Errorf("got %#v (failed %v), want %#v", docs, failed, want)
	}
}
