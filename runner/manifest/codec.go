package manifest

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/wurzel-dev/wurzel/internal/jsonmap"
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

// decodeFast decodes a manifest without reflection (package
// internal/jsonmap), or reports false for what it leaves to encoding/json.
// Unlike a spec, a manifest with a name it does not know is not an error:
// encoding/json takes it, ignoring the name.
func decodeFast(data []byte) (*Manifest, bool) {
	var m Manifest
	if !jsonmap.Decode(data, func(l *jsonmap.Lexer) { jsonmap.Struct(l, &m, manifestField) }) {
		return nil, false
	}
	return &m, true
}

func manifestField(l *jsonmap.Lexer, m *Manifest, name string) {
	switch name {
	case "version":
		m.Version = jsonmap.String(l)
	case "pipeline":
		m.Pipeline = jsonmap.String(l)
	case "step":
		m.Step = jsonmap.String(l)
	case "run_id":
		m.RunID = jsonmap.String(l)
	case "outputs":
		m.Outputs = jsonmap.Array(l, func(l *jsonmap.Lexer, o *Output) { jsonmap.Struct(l, o, outputField) })
	default:
		jsonmap.Unknown(l)
	}
}

func outputField(l *jsonmap.Lexer, o *Output, name string) {
	switch name {
	case "name":
		o.Name = jsonmap.String(l)
	case "path":
		o.Path = jsonmap.String(l)
	case "type":
		o.Type = jsonmap.String(l)
	case "kind":
		o.Kind = jsonmap.String(l)
	case "files":
		o.Files = jsonmap.Array(l, func(l *jsonmap.Lexer, f *File) { jsonmap.Struct(l, f, fileField) })
	default:
		jsonmap.Unknown(l)
	}
}

func fileField(l *jsonmap.Lexer, f *File, name string) {
	switch name {
	case "path":
		f.Path = jsonmap.String(l)
	case "size":
		f.Size = jsonmap.Int64(l)
	case "sha256":
		f.SHA256 = jsonmap.String(l)
	default:
		jsonmap.Unknown(l)
	}
}
