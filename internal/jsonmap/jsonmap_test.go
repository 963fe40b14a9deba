package jsonmap

import (
	"reflect"
	"testing"
)

type doc struct {
	Name  string
	Tags  []string
	Env   map[string]string
	Count int64
	On    bool
	Sub   *doc
}

func docField(l *Lexer, d *doc, name string) {
	switch name {
	case "name":
		d.Name = String(l)
	case "tags":
		d.Tags = Array(l, StringElem)
	case "env":
		d.Env = Map(l, StringElem)
	case "count":
		d.Count = Int64(l)
	case "on":
		d.On = Bool(l)
	case "sub":
		d.Sub = Pointer(l, docField)
	default:
		Unknown(l)
	}
}

func decode(data string) (doc, bool) {
	var d doc
	ok := Decode([]byte(data), func(l *Lexer) { Struct(l, &d, docField) })
	return d, ok
}

func TestDecode(t *testing.T) {
	for _, c := range []struct {
		json string
		want doc
		ok   bool
	}{
		{`{"name":"a\u00e9","tags":["x",null],"env":{"K":"v","N":null},"count":-3,"on":true,"sub":{"name":"b"}}`,
			doc{Name: "aé", Tags: []string{"x", ""}, Env: map[string]string{"K": "v", "N": ""}, Count: -3, On: true, Sub: &doc{Name: "b"}}, true},
		{`{"tags":[],"env":{}}`, doc{Tags: []string{}, Env: map[string]string{}}, true},
		{`{"name":null,"tags":null,"env":null,"count":null,"on":null,"sub":null}`, doc{}, true},
		// Left to encoding/json.
		{`{"name":"a","name":"b"}`, doc{}, false},
		{`{"Name":"a"}`, doc{}, false},
		{`{"other":1}`, doc{}, false},
		{"{\"name\":\"\xff\"}", doc{}, false},
		{`{"count":1.5}`, doc{}, false},
		{`{"on":"true"}`, doc{}, false},
		{`{"sub":[]}`, doc{}, false},
		{`{"tags":"x"}`, doc{}, false},
		{`{} {}`, doc{}, false},
		{`{`, doc{}, false},
		{`[]`, doc{}, false},
		{`null`, doc{}, false},
	} {
		got, ok := decode(c.json)
		if ok != c.ok || ok && !reflect.DeepEqual(got, c.want) {
			t.Errorf("decode(%q) = %+v, %v; want %+v, %v", c.json, got, ok, c.want, c.ok)
		}
	}
}

// A map's keys do not share the document's memory.
func TestMapKeysAreCopies(t *testing.T) {
	data := []byte(`{"env":{"KEY":"v"}}`)
	var d doc
	if !Decode(data, func(l *Lexer) { Struct(l, &d, docField) }) {
		t.Fatal("not decoded")
	}
	copy(data, `{"env":{"XXX":"v"}}`)
	if _, ok := d.Env["KEY"]; !ok {
		t.Errorf("the map's key changed with the document: %v", d.Env)
	}
}
