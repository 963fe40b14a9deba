package argo

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The generated documents are built as a small tree of ordered mappings,
// sequences and scalars and written by the emitter below rather than through
// a general YAML library: key order then follows the order the lowering
// chose (the order an Argo operator writes by hand), and every string is
// quoted unless it is unmistakably a string to both YAML 1.1 and YAML 1.2
// readers.

// mapping is a YAML mapping whose keys keep their insertion order.
type mapping struct{ entries []entry }

type entry struct {
	key   string
	value any
}

// sequence is a YAML sequence.
type sequence []any

// The scalar values a tree may hold are string, int, int64 and bool.

// set appends key with value. Nil values (nil maps, nil sequences, nil
// *mapping) are skipped, so optional fields can be set unconditionally.
func (m *mapping) set(key string, value any) *mapping {
	switch v := value.(type) {
	case nil:
		return m
	case *mapping:
		if v == nil {
			return m
		}
	case sequence:
		if v == nil {
			return m
		}
	}
	m.entries = append(m.entries, entry{key, value})
	return m
}

// setString sets key only when value is not empty.
func (m *mapping) setString(key, value string) *mapping {
	if value == "" {
		return m
	}
	return m.set(key, value)
}

// len returns the number of entries.
func (m *mapping) len() int { return len(m.entries) }

// orNil returns nil for an empty mapping, so that set skips it.
func (m *mapping) orNil() *mapping {
	if m == nil || len(m.entries) == 0 {
		return nil
	}
	return m
}

// maxImplicitKey is the longest key written as an implicit key: even with
// every byte escaped as \uXXXX it stays under YAML's 1024-character limit.
const maxImplicitKey = 128

// emitDocuments writes docs as one multi-document YAML stream. sizeHint is
// the expected size in bytes, to spare the buffer's regrowth on large
// pipelines.
func emitDocuments(docs []*mapping, sizeHint int) []byte {
	var b bytes.Buffer
	b.Grow(max(sizeHint, 4096))
	for i, d := range docs {
		if i > 0 || len(docs) > 1 {
			b.WriteString("---\n")
		}
		emitMapping(&b, d, 0)
	}
	return b.Bytes()
}

func writeIndent(b *bytes.Buffer, n int) {
	for i := 0; i < n; i++ {
		b.WriteByte(' ')
	}
}

// emitMapping writes the entries of m, each starting at column indent. The
// first entry starts at the current position (which the caller has already
// indented, for example after "- ").
func emitMapping(b *bytes.Buffer, m *mapping, indent int) {
	for i, e := range m.entries {
		if i > 0 {
			writeIndent(b, indent)
		}
		if len(e.key) > maxImplicitKey {
			// YAML limits implicit keys to 1024 characters; a long key
			// is written in the explicit "? key" form.
			b.WriteString("? ")
			writeDoubleQuoted(b, e.key)
			b.WriteByte('\n')
			writeIndent(b, indent)
		} else {
			writeScalarString(b, e.key)
		}
		b.WriteByte(':')
		emitValue(b, e.value, indent)
	}
}

// emitValue writes the value of a mapping entry, starting right after the
// colon.
func emitValue(b *bytes.Buffer, v any, indent int) {
	switch v := v.(type) {
	case *mapping:
		if len(v.entries) == 0 {
			b.WriteString(" {}\n")
			return
		}
		b.WriteByte('\n')
		writeIndent(b, indent+2)
		emitMapping(b, v, indent+2)
	case sequence:
		if len(v) == 0 {
			b.WriteString(" []\n")
			return
		}
		b.WriteByte('\n')
		emitSequence(b, v, indent)
	default:
		b.WriteByte(' ')
		writeScalar(b, v)
		b.WriteByte('\n')
	}
}

// emitSequence writes items as "- item" lines at column indent (sequences
// inside mappings are not indented further, as kubectl writes them).
func emitSequence(b *bytes.Buffer, s sequence, indent int) {
	for _, item := range s {
		writeIndent(b, indent)
		b.WriteString("- ")
		switch v := item.(type) {
		case *mapping:
			if len(v.entries) == 0 {
				b.WriteString("{}\n")
				continue
			}
			emitMapping(b, v, indent+2)
		case sequence:
			if len(v) == 0 {
				b.WriteString("[]\n")
				continue
			}
			// A nested sequence starts on the next line.
			b.WriteByte('\n')
			emitSequence(b, v, indent+2)
		default:
			writeScalar(b, v)
			b.WriteByte('\n')
		}
	}
}

func writeScalar(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case string:
		writeScalarString(b, v)
	case int:
		b.WriteString(strconv.Itoa(v))
	case int32:
		b.WriteString(strconv.FormatInt(int64(v), 10))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	default:
		// The lowering only builds the types above; anything else is a
		// programming error that must not reach a user as silent output.
		panic("argo: unsupported YAML value type")
	}
}

// writeScalarString writes s plain when both YAML 1.1 and 1.2 read it back as
// the same string, and double-quoted otherwise.
func writeScalarString(b *bytes.Buffer, s string) {
	if isPlainSafe(s) {
		b.WriteString(s)
		return
	}
	writeDoubleQuoted(b, s)
}

// yaml11Words are the plain scalars YAML 1.1 resolves to booleans or null
// (compared lower-cased; YAML 1.1 accepts only some casings, quoting all of
// them is simpler and harmless).
var yaml11Words = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true,
}

// isPlainSafe reports whether s can be written as a plain scalar. It is
// deliberately strict: the string must start with a letter, an underscore or
// a slash (never a digit, sign, dot or indicator, which rules out every
// number, date, time, .inf and .nan form of both YAML versions), contain only
// letters, digits and "_./-" plus inner colons that are not followed by a
// space, and not be one of YAML 1.1's boolean or null words.
func isPlainSafe(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	c := s[0]
	if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '/') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '_', c == '.', c == '/', c == '-':
		case c == ':':
			if i == len(s)-1 {
				return false
			}
		default:
			return false
		}
	}
	if len(s) <= 5 && yaml11Words[strings.ToLower(s)] {
		return false
	}
	return true
}

// writeDoubleQuoted writes s as a YAML double-quoted scalar. Only the escapes
// common to YAML 1.1 and 1.2 are used; characters YAML does not allow
// unescaped (controls, DEL, C1 controls, line and paragraph separators, the
// byte order mark) are written as \uXXXX.
func writeDoubleQuoted(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"':
				b.WriteString(`\"`)
			case c == '\\':
				b.WriteString(`\\`)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\t':
				b.WriteString(`\t`)
			case c == '\r':
				b.WriteString(`\r`)
			case c < 0x20 || c == 0x7f:
				writeUnicodeEscape(b, rune(c))
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeUnicodeEscape(b, utf8.RuneError)
		case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == 0xfffe, r == 0xffff:
			writeUnicodeEscape(b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
}

func writeUnicodeEscape(b *bytes.Buffer, r rune) {
	const hex = "0123456789ABCDEF"
	b.WriteString(`\u`)
	b.WriteByte(hex[r>>12&0xf])
	b.WriteByte(hex[r>>8&0xf])
	b.WriteByte(hex[r>>4&0xf])
	b.WriteByte(hex[r&0xf])
}
