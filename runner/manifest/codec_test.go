package manifest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// marshalStd is what Marshal must write, byte for byte: encoding/json's
// Encoder with two spaces of indent and HTML escaping off, as manifests
// were always written.
func marshalStd(t *testing.T, m *Manifest) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func checkMarshal(t *testing.T, m *Manifest) {
	t.Helper()
	got, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if want := marshalStd(t, m); !bytes.Equal(got, want) {
		t.Fatalf("Marshal(%#v):\n%s\nwant\n%s", m, got, want)
	}
}

// tricky strings: what encoding/json escapes (quotes, backslashes,
// control characters, U+2028 and U+2029, bytes that are not UTF-8) and
// what it leaves alone with HTML escaping off.
var tricky = []string{"", "plain", `q"uote\back`, "<a href='x'>&amp;</a>", "\x00\x01\b\f\n\r\t\x1f\x7f", "\u2028\u2029é😀", "\xff\xfe bad \xc3"}

func TestMarshalAgrees(t *testing.T) {
	checkMarshal(t, &Manifest{})
	checkMarshal(t, &Manifest{Version: Version, Pipeline: "p", Step: "s", RunID: "r", Outputs: []Output{}})
	for _, s := range tricky {
		checkMarshal(t, &Manifest{Version: s, Pipeline: s, Step: s, RunID: s, Outputs: []Output{
			{Name: s, Path: s, Type: s, Kind: s},
			{Name: s, Files: []File{}},
			{Kind: KindDir, Files: []File{{Path: s, Size: -1, SHA256: s}, {Path: "b", Size: 1 << 62}}},
		}})
	}
}

func FuzzMarshalAgrees(f *testing.F) {
	for _, s := range tricky {
		f.Add(s, s, int64(len(s)), 2)
	}
	f.Fuzz(func(t *testing.T, a, b string, size int64, n int) {
		m := &Manifest{Version: a, Pipeline: b, Step: a + b, RunID: b}
		for i := range n % 4 {
			o := Output{Name: a, Path: b, Type: a, Kind: b}
			for j := range i {
				o.Files = append(o.Files, File{Path: b, Size: size + int64(j), SHA256: a})
			}
			m.Outputs = append(m.Outputs, o)
		}
		checkMarshal(t, m)
	})
}

// checkDecode fails t when decodeFast takes data and encoding/json does
// not, or decodes it to another Manifest.
func checkDecode(t *testing.T, data []byte) bool {
	t.Helper()
	got, ok := decodeFast(data)
	if !ok {
		return false
	}
	var want Manifest
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("decodeFast took %q, which encoding/json refuses: %v", data, err)
	}
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("decodeFast(%q):\n got %#v\nwant %#v", data, got, &want)
	}
	return true
}

var decodeCases = []struct {
	json string
	fast bool
}{
	{`{"version":"v","pipeline":"p","step":"s","run_id":"r","outputs":[{"name":"o","path":"o","type":"","kind":"file","files":[{"path":".","size":3,"sha256":"ab"}]}]}`, true},
	{`{"outputs":[],"version":null}`, true},
	{`{"outputs":null}`, true},
	{`{"outputs":[null,{"files":[null]}]}`, true},
	{`{"step":"\u00e9\ud83d\ude00\"\\"}`, true},
	// Left to encoding/json, which takes them too.
	{`{"extra":1}`, false},
	{`{"Version":"v"}`, false},
	{`{"step":"a","step":"b"}`, false},
	{"{\"step\":\"\xff\"}", false},
	// Refused by encoding/json as well.
	{`{"outputs":[{"files":[{"size":1.5}]}]}`, false},
	{`{"outputs":{}}`, false},
	{`{"step":1}`, false},
	{`{} x`, false},
	{`[]`, false},
}

func TestDecodeFastAgrees(t *testing.T) {
	for _, c := range decodeCases {
		if got := checkDecode(t, []byte(c.json)); got != c.fast {
			t.Errorf("decodeFast(%q) took it: %v, want %v", c.json, got, c.fast)
		}
	}
	// What Marshal writes, decodeFast reads back.
	m := &Manifest{Version: Version, Pipeline: "p", Step: "s", RunID: "r", Outputs: []Output{
		{Name: "o", Path: "d", Kind: KindDir, Files: []File{{Path: "a/b", Size: 7, SHA256: "cd"}}},
	}}
	data, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := decodeFast(data)
	if !ok || !reflect.DeepEqual(got, m) {
		t.Fatalf("decodeFast(Marshal(m)) = %#v, %v; want %#v", got, ok, m)
	}
}

// Whatever decodeFast takes, encoding/json decodes to the same Manifest.
func FuzzDecodeFastAgrees(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c.json))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data)
	})
}
