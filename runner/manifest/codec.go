package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/mailru/easyjson/jlexer"
)

// Every step writes a manifest and reads one for each of its inputs, each
// once per process. encoding/json's first look at the manifest's types
// (cachedTypeFields, the indenting encoder) costs that process about 0.1
// ms each way; the encoder and the fast decoder here write and read the
// same documents without reflection. FuzzMarshalAgrees and
// FuzzDecodeFastAgrees hold them to encoding/json.

// Marshal encodes m deterministically, indented, with a final newline: the
// bytes encoding/json's Encoder writes with two spaces of indent and HTML
// escaping off.
func Marshal(m *Manifest) ([]byte, error) {
	w := &writer{}
	w.raw("{\n  \"version\": ")
	w.str(m.Version)
	w.raw(",\n  \"pipeline\": ")
	w.str(m.Pipeline)
	w.raw(",\n  \"step\": ")
	w.str(m.Step)
	w.raw(",\n  \"run_id\": ")
	w.str(m.RunID)
	w.raw(",\n  \"outputs\": ")
	list(w, m.Outputs, "  ", writeOutput)
	w.raw("\n}\n")
	return w.buf.Bytes(), w.err
}

func writeOutput(w *writer, o *Output, in string) {
	w.raw("{\n" + in + "  \"name\": ")
	w.str(o.Name)
	w.raw(",\n" + in + "  \"path\": ")
	w.str(o.Path)
	w.raw(",\n" + in + "  \"type\": ")
	w.str(o.Type)
	w.raw(",\n" + in + "  \"kind\": ")
	w.str(o.Kind)
	w.raw(",\n" + in + "  \"files\": ")
	list(w, o.Files, in+"  ", writeFile)
	w.raw("\n" + in + "}")
}

func writeFile(w *writer, f *File, in string) {
	w.raw("{\n" + in + "  \"path\": ")
	w.str(f.Path)
	w.raw(",\n" + in + "  \"size\": " + strconv.FormatInt(f.Size, 10))
	w.raw(",\n" + in + "  \"sha256\": ")
	w.str(f.SHA256)
	w.raw("\n" + in + "}")
}

// list writes a slice at indent in as encoding/json indents it: null for
// nil, [] for empty.
func list[T any](w *writer, items []T, in string, item func(*writer, *T, string)) {
	switch {
	case items == nil:
		w.raw("null")
		return
	case len(items) == 0:
		w.raw("[]")
		return
	}
	w.raw("[")
	for i := range items {
		if i > 0 {
			w.raw(",")
		}
		w.raw("\n" + in + "  ")
		item(w, &items[i], in+"  ")
	}
	w.raw("\n" + in + "]")
}

// writer builds a document. Strings go through encoding/json's Encoder,
// which escapes them as a manifest always had them (HTML escaping off);
// encoding a string needs none of the reflection a struct does.
type writer struct {
	buf     bytes.Buffer
	scratch bytes.Buffer
	enc     *json.Encoder
	err     error
}

func (w *writer) raw(s string) { w.buf.WriteString(s) }

func (w *writer) str(s string) {
	if w.enc == nil {
		w.enc = json.NewEncoder(&w.scratch)
		w.enc.SetEscapeHTML(false)
	}
	w.scratch.Reset()
	if err := w.enc.Encode(s); err != nil && w.err == nil {
		w.err = err
	}
	w.buf.Write(bytes.TrimSuffix(w.scratch.Bytes(), []byte("\n")))
}

// errFallback stops the fast decoder: encoding/json decides.
var errFallback = errors.New("manifest: left to encoding/json")

// decodeFast decodes a manifest without reflection, or reports false for
// what it leaves to encoding/json: anything but valid JSON in UTF-8 whose
// object names are the manifest's own, spelt as they are, each once, with
// values of their fields' types. (encoding/json also takes unknown names,
// names in another case and a name given twice, merging the values.)
func decodeFast(data []byte) (*Manifest, bool) {
	if !utf8.Valid(data) || !json.Valid(data) {
		return nil, false
	}
	l := &jlexer.Lexer{Data: data}
	if l.IsNull() || !l.IsDelim('{') {
		return nil, false
	}
	var m Manifest
	object(l, func(name string) { manifestField(l, &m, name) })
	l.Consumed()
	if l.Error() != nil {
		return nil, false
	}
	return &m, true
}

func object(l *jlexer.Lexer, field func(name string)) {
	if null(l) {
		return
	}
	if !l.IsDelim('{') {
		l.AddError(errFallback)
		return
	}
	l.Delim('{')
	var seen []string
	for l.Ok() && !l.IsDelim('}') {
		name := l.UnsafeFieldName(false)
		if slices.Contains(seen, name) {
			l.AddError(errFallback)
			return
		}
		seen = append(seen, name)
		l.WantColon()
		field(name)
		l.WantComma()
	}
	l.Delim('}')
}

// null reads a null if one is next: encoding/json leaves the field as it
// was, zero here.
func null(l *jlexer.Lexer) bool {
	if l.IsNull() {
		l.Skip()
		return true
	}
	return false
}

func str(l *jlexer.Lexer) string {
	if null(l) {
		return ""
	}
	return l.String()
}

// array reads an array into a new slice, even an empty one; null is nil.
func array[T any](l *jlexer.Lexer, field func(*jlexer.Lexer, *T, string)) []T {
	if null(l) {
		return nil
	}
	out := []T{}
	l.Delim('[')
	for l.Ok() && !l.IsDelim(']') {
		var v T
		object(l, func(name string) { field(l, &v, name) })
		out = append(out, v)
		l.WantComma()
	}
	l.Delim(']')
	return out
}

func manifestField(l *jlexer.Lexer, m *Manifest, name string) {
	switch name {
	case "version":
		m.Version = str(l)
	case "pipeline":
		m.Pipeline = str(l)
	case "step":
		m.Step = str(l)
	case "run_id":
		m.RunID = str(l)
	case "outputs":
		m.Outputs = array(l, outputField)
	default:
		l.AddError(errFallback)
	}
}

func outputField(l *jlexer.Lexer, o *Output, name string) {
	switch name {
	case "name":
		o.Name = str(l)
	case "path":
		o.Path = str(l)
	case "type":
		o.Type = str(l)
	case "kind":
		o.Kind = str(l)
	case "files":
		o.Files = array(l, fileField)
	default:
		l.AddError(errFallback)
	}
}

func fileField(l *jlexer.Lexer, f *File, name string) {
	switch name {
	case "path":
		f.Path = str(l)
	case "size":
		if !null(l) {
			f.Size = l.Int64()
		}
	case "sha256":
		f.SHA256 = str(l)
	default:
		l.AddError(errFallback)
	}
}
