package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// decodeStd is what decodeFast must agree with: encoding/json's strict
// decoding of one JSON value.
func decodeStd(data []byte) (*Step, error) {
	if !json.Valid(data) {
		return nil, fmt.Errorf("not valid JSON")
	}
	var s Step
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	return &s, nil
}

// checkAgrees fails t when decodeFast takes data and encoding/json does
// not, or decodes it to another Step.
func checkAgrees(t *testing.T, data []byte) (fast bool) {
	t.Helper()
	got, ok := decodeFast(data)
	if !ok {
		return false
	}
	want, err := decodeStd(data)
	if err != nil {
		t.Fatalf("decodeFast took %q, which encoding/json refuses: %v", data, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeFast(%q):\n got %#v\nwant %#v", data, got, want)
	}
	return true
}

// filled sets every field of v, recursively, to a value that is not its
// zero: slices and maps get one element each.
func filled(t *testing.T, v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("s:" + path)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(len(path)))
	case reflect.Struct:
		for i := range v.NumField() {
			filled(t, v.Field(i), path+"."+v.Type().Field(i).Name)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		filled(t, v.Elem(), path)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		filled(t, v.Index(0), path+"[0]")
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		elem := reflect.New(v.Type().Elem()).Elem()
		filled(t, elem, path+"[k]")
		v.SetMapIndex(reflect.ValueOf("k:"+path), elem)
	default:
		t.Fatalf("%s: no test value for a %s", path, v.Kind())
	}
}

// A field that decodeFast does not know sends every spec that uses it down
// the slow path; this catches one added to Step without a case.
func TestDecodeFastReadsEveryField(t *testing.T) {
	var s Step
	filled(t, reflect.ValueOf(&s).Elem(), "step")
	data, err := Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := decodeFast(data)
	if !ok {
		t.Fatalf("decodeFast does not take a spec with every field set:\n%s", data)
	}
	if !reflect.DeepEqual(got, &s) {
		t.Fatalf("decodeFast lost a field:\n got %#v\nwant %#v", got, &s)
	}
	checkAgrees(t, data)
}

// agreementCases are specs decodeFast takes (fast) or leaves to
// encoding/json; FuzzDecodeFastAgrees starts from them.
var agreementCases = []struct {
	json string
	fast bool
}{
	{`{"version":"wurzel.dev/step/v1","pipeline":"p","step":"s","command":["true"],"manifest":"m.json","sources":{"allowed_schemes":["https"]}}`, true},
	{`  {"version":"x"}  `, true},
	{`{"command":[],"env":{},"inputs":[],"params":{"types":{},"args":[],"env":{}}}`, true},
	{`{"command":null,"env":null,"inputs":null,"params":null,"sources":null,"timeout_seconds":null,"volatile_manifest":null,"contained":null}`, true},
	{`{"volatile_manifest":true,"contained":true}`, true},
	{`{"command":["a",null,"\u00e9\ud83d\ude00\n"],"env":{"A":null,"\u0042":"x"}}`, true},
	{`{"inputs":[null,{"name":"i","from":null,"fan_in":[{"key":"k","step":"s","output":"o","manifest":"m"}]}]}`, true},
	{`{"params":{"args":[{"index":2,"value":[{"text":"--n="},{"var":"n"},null]}],"env":{"E":[{"var":"v"}]}}}`, true},
	{`{"secrets":[{"name":"s","keys":["a"],"from_env":{"a":"A"},"export_env":{"a":"B"}}],"volumes":[{"name":"v","path":"/v","read_only":true}]}`, true},
	{`{"timeout_seconds":-0,"sources":{"max_bytes":9007199254740993,"timeout_seconds":5}}`, true},
	{`{"\u0076ersion":"x"}`, true},
	// Left to encoding/json: it merges a name given twice, matches names
	// in any case, and replaces bytes that are not UTF-8.
	{`{"env":{"A":"1"},"env":{"B":"2"}}`, false},
	{`{"sources":{"max_bytes":1},"sources":{"timeout_seconds":2}}`, false},
	{`{"Version":"x","PIPELINE":"p"}`, false},
	{"{\"step\":\"\xff\"}", false},
	// Refused by encoding/json too.
	{`{"stepp":"x"}`, false},
	{`{"command":"true"}`, false},
	{`{"timeout_seconds":1.5}`, false},
	{`{"timeout_seconds":"5"}`, false},
	{`{"volatile_manifest":1}`, false},
	{`{"contained":"yes"}`, false},
	{`{"version":"x"} {}`, false},
	{`{"version":"x"`, false},
	{`[]`, false},
	{`null`, false},
	{``, false},
}

func TestDecodeFastAgrees(t *testing.T) {
	for _, c := range agreementCases {
		if got := checkAgrees(t, []byte(c.json)); got != c.fast {
			t.Errorf("decodeFast(%q) took it: %v, want %v", c.json, got, c.fast)
		}
	}
}

// Whatever decodeFast takes, encoding/json decodes to the same Step.
func FuzzDecodeFastAgrees(f *testing.F) {
	for _, c := range agreementCases {
		f.Add([]byte(c.json))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkAgrees(t, data)
	})
}

// Parse words its errors as encoding/json does, whichever path a spec
// takes.
func TestParseErrors(t *testing.T) {
	good := `{"version":"` + Version + `","pipeline":"p","step":"s","command":["true"],"manifest":"m"}`
	cases := map[string]struct{ json, want string }{
		"not JSON":       {`{"version":`, "step spec is not valid JSON: unexpected end of JSON input"},
		"version":        {`{"version":"wurzel.dev/step/v0","stepp":1}`, `step spec version "wurzel.dev/step/v0" is not supported (this runner reads "wurzel.dev/step/v1")`},
		"fast version":   {`{"version":"v9"}`, `step spec version "v9" is not supported`},
		"unknown field":  {strings.Replace(good, `"step":`, `"stepp":"x","step":`, 1), `step spec: json: unknown field "stepp"`},
		"wrong type":     {strings.Replace(good, `["true"]`, `"true"`, 1), "step spec: json: cannot unmarshal string into Go struct field Step.command of type []string"},
		"trailing value": {good + `{}`, "step spec is not valid JSON: invalid character '{' after top-level value"},
	}
	for name, c := range cases {
		_, err := Parse([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Parse error = %v, want it to contain %q", name, err, c.want)
		}
	}
	if s, err := Parse([]byte(good)); err != nil || s.Step != "s" || s.Command[0] != "true" {
		t.Errorf("Parse(good) = %+v, %v", s, err)
	}
}
