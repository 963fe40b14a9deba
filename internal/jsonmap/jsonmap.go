package jsonmap

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mailru/easyjson/jlexer"
)

// Lexer is what decoders read from.
type Lexer = jlexer.Lexer

// errFallback stops a decoder: encoding/json decides.
var errFallback = errors.New("jsonmap: left to encoding/json")

// Decode runs decode over data, an object, and reports whether it took all
// of it.
func Decode(data []byte, decode func(*Lexer)) bool {
	if !utf8.Valid(data) || !json.Valid(data) {
		return false
	}
	l := &Lexer{Data: data}
	if l.IsNull() || !l.IsDelim('{') {
		return false
	}
	decode(l)
	l.Consumed()
	return l.Error() == nil
}

// Unknown stops the decoder at a name it does not know.
func Unknown(l *Lexer) { l.AddError(errFallback) }

// Object reads an object, calling field with each name; null is no object.
// It stops the decoder at a name given twice.
func Object(l *Lexer, field func(name string)) {
	if Null(l) {
		return
	}
	if !l.IsDelim('{') {
		Unknown(l)
		return
	}
	l.Delim('{')
	var seen []string
	for l.Ok() && !l.IsDelim('}') {
		name := l.UnsafeFieldName(false)
		if slices.Contains(seen, name) {
			Unknown(l)
			return
		}
		seen = append(seen, name)
		l.WantColon()
		field(name)
		l.WantComma()
	}
	l.Delim('}')
}

// Struct reads an object into v; null leaves it as it is.
func Struct[T any](l *Lexer, v *T, field func(*Lexer, *T, string)) {
	Object(l, func(name string) { field(l, v, name) })
}

// Pointer reads an object into a new value; null is nil.
func Pointer[T any](l *Lexer, field func(*Lexer, *T, string)) *T {
	if Null(l) {
		return nil
	}
	v := new(T)
	Struct(l, v, field)
	return v
}

// Null reads a null if one is next. encoding/json leaves a field it meets
// null as it was: zero, since no field comes twice.
func Null(l *Lexer) bool {
	if l.IsNull() {
		l.Skip()
		return true
	}
	return false
}

// String reads a string or null ("").
func String(l *Lexer) string {
	if Null(l) {
		return ""
	}
	return l.String()
}

// Int64 reads an integer or null (0).
func Int64(l *Lexer) int64 {
	if Null(l) {
		return 0
	}
	return l.Int64()
}

// Int reads an integer or null (0).
func Int(l *Lexer) int {
	if Null(l) {
		return 0
	}
	return l.Int()
}

// Bool reads a boolean or null (false).
func Bool(l *Lexer) bool {
	if Null(l) {
		return false
	}
	return l.Bool()
}

// Array reads an array into a new slice, even an empty one, as
// encoding/json does; null is nil.
func Array[T any](l *Lexer, elem func(*Lexer, *T)) []T {
	if Null(l) {
		return nil
	}
	out := []T{}
	l.Delim('[')
	for l.Ok() && !l.IsDelim(']') {
		var v T
		elem(l, &v)
		out = append(out, v)
		l.WantComma()
	}
	l.Delim(']')
	return out
}

// Map reads an object into a new map, even an empty one; null is nil.
func Map[T any](l *Lexer, elem func(*Lexer, *T)) map[string]T {
	if Null(l) {
		return nil
	}
	out := map[string]T{}
	Object(l, func(name string) {
		var v T
		elem(l, &v)
		// name is the lexer's, in data: the map keeps a copy.
		out[strings.Clone(name)] = v
	})
	return out
}

// StringElem reads one string of an array or map.
func StringElem(l *Lexer, v *string) { *v = String(l) }
