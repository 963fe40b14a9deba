package srclimit

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// MaxNesting bounds how deeply source may nest. Each bracket, string,
// template interpolation or heredoc opens a level, and so does each operator
// of a chain such as `a + b + c` or `!!x`, since the parser builds one tree
// level per operator. Hand-written pipelines stay far below it.
const MaxNesting = 256

// MaxTokens bounds the number of tokens of one file: a pipeline of that size
// is already much larger than any written by hand, and every token costs
// memory in the parser and the evaluator.
const MaxTokens = 1_000_000

// Check returns an error when src, the text of filename, nests deeper than
// MaxNesting or has more than MaxTokens tokens. json selects HCL's JSON
// syntax, whose strings are templates in native syntax.
func Check(filename string, src []byte, json bool) hcl.Diagnostics {
	s := newScanner(src, 0)
	if json {
		s.scanJSON()
	} else {
		s.scanNative(modeConfig)
	}
	return s.diagnostics(filename, hcl.InitialPos)
}

// JSONNestingError returns an error when the JSON text src (a value, not a
// pipeline file: its strings are not templates) nests deeper than
// MaxNesting, as jsondecode would have to recurse through it, or holds a
// number too long or too large to read.
func JSONNestingError(src []byte) error {
	s := newScanner(src, 0)
	s.plainStrings = true
	s.scanJSON()
	switch {
	case !s.failed || s.summary == "Too many tokens":
		return nil // data, not source: the budget bounds its size
	case s.summary == "Nesting too deep":
		return fmt.Errorf("the JSON nests more than %d levels deep", MaxNesting)
	}
	return fmt.Errorf("%s", strings.TrimSuffix(s.failMsg, "."))
}

// CheckExpression is Check for one expression in native syntax, such as a
// value given on the command line, that starts at start.
func CheckExpression(filename string, src []byte, start hcl.Pos) hcl.Diagnostics {
	s := newScanner(src, 0)
	s.scanNative(modeExpression)
	return s.diagnostics(filename, start)
}

type frameKind int

const (
	frameParen frameKind = iota
	frameBrack
	frameBrace
	frameInterp // ${ ... } or %{ ... }
	frameString
	frameHeredoc
)

// frame is one open level; ops counts the operators of the current chain in
// it, each of which adds a level to the parsed tree.
type frame struct {
	kind   frameKind
	ops    int
	marker string // a heredoc's closing marker
	indent bool   // a heredoc opened with <<-
}

type scanMode int

const (
	modeConfig scanMode = iota
	modeExpression
	modeTemplate
)

type scanner struct {
	src    []byte
	pos    int
	frames []frame
	// depth is the nesting of the innermost open level: the sum over open
	// frames of one plus their operators.
	depth  int
	base   int
	tokens int
	// afterValue is set when the last token ended a value, so that a "["
	// indexes it rather than opening a tuple.
	afterValue bool
	// plainStrings: JSON strings are data, not templates.
	plainStrings bool
	// onIdent, when set, is called with the offsets of each identifier of
	// native code.
	onIdent func(start, end int)
	// onTopLine, when set, is called with the offset of each line that
	// starts outside every bracket, string and comment of a config file.
	onTopLine func(line int)

	failed  bool
	failAt  int
	failMsg string
	summary string
}

func newScanner(src []byte, base int) *scanner {
	return &scanner{src: src, base: base, depth: base}
}

func (s *scanner) fail(at int, summary, msg string) {
	if !s.failed {
		s.failed, s.failAt, s.summary, s.failMsg = true, at, summary, msg
	}
}

func (s *scanner) checkDepth(at int) {
	if s.depth > MaxNesting {
		s.fail(at, "Nesting too deep", fmt.Sprintf("The source nests brackets, strings, templates or chained operators more than %d levels deep, the most wurzel reads. Split the expression with local values.", MaxNesting))
	}
}

func (s *scanner) token() {
	s.tokens++
	if s.tokens > MaxTokens {
		s.fail(s.pos, "Too many tokens", fmt.Sprintf("The file has more than %d tokens, the most wurzel reads in one file. Move large data into a file read with file() and jsondecode, or split the pipeline.", MaxTokens))
	}
}

func (s *scanner) push(k frameKind, at int) *frame {
	s.frames = append(s.frames, frame{kind: k})
	s.depth++
	s.checkDepth(at)
	return &s.frames[len(s.frames)-1]
}

func (s *scanner) pop() {
	if len(s.frames) == 0 {
		return // unbalanced: the parser reports it
	}
	f := s.frames[len(s.frames)-1]
	s.frames = s.frames[:len(s.frames)-1]
	s.depth -= 1 + f.ops
}

func (s *scanner) top() *frame {
	if len(s.frames) == 0 {
		return nil
	}
	return &s.frames[len(s.frames)-1]
}

// op counts an operator of the current chain.
func (s *scanner) op(at int) {
	if f := s.top(); f != nil {
		f.ops++
	}
	s.depth++
	s.checkDepth(at)
}

// endChain ends the current operator chain: a comma, or a newline where
// newlines separate items.
func (s *scanner) endChain() {
	if f := s.top(); f != nil {
		s.depth -= f.ops
		f.ops = 0
	} else {
		s.depth = s.base + len(s.frames)
	}
}

func (s *scanner) diagnostics(filename string, start hcl.Pos) hcl.Diagnostics {
	if !s.failed {
		return nil
	}
	r := rangeAt(filename, s.src, start, s.failAt)
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: s.summary, Detail: s.failMsg, Subject: &r}}
}

// scanNative scans native syntax from the start: a config file, one
// expression, or a template's literal text.
func (s *scanner) scanNative(mode scanMode) {
	if mode == modeTemplate {
		s.frames = append(s.frames, frame{kind: frameString, marker: "\x00"})
		s.depth++
		s.checkDepth(0)
	}
	for s.pos < len(s.src) && !s.failed {
		f := s.top()
		if f != nil && (f.kind == frameString || f.kind == frameHeredoc) {
			s.scanTemplateText(f)
			continue
		}
		s.scanCode(mode)
	}
}

// scanCode scans one token of code.
func (s *scanner) scanCode(mode scanMode) {
	src, i := s.src, s.pos
	c := src[i]
	switch {
	case c == ' ' || c == '\t' || c == '\r':
		s.pos++
		return
	case c == '\n':
		f := s.top()
		if (f == nil && mode == modeConfig) || (f != nil && f.kind == frameBrace) {
			s.endChain()
		}
		s.pos++
		if f == nil && mode == modeConfig && s.onTopLine != nil {
			s.onTopLine(s.pos)
		}
		return
	case c == '#' || (c == '/' && i+1 < len(src) && src[i+1] == '/'):
		for s.pos < len(src) && src[s.pos] != '\n' {
			s.pos++
		}
		return
	case c == '/' && i+1 < len(src) && src[i+1] == '*':
		end := strings.Index(string(src[i+2:]), "*/")
		if end < 0 {
			s.pos = len(src)
		} else {
			s.pos = i + 2 + end + 2
		}
		return
	}
	s.token()
	afterValue := s.afterValue
	s.afterValue = false
	switch {
	case c == '"':
		s.push(frameString, i)
		s.pos++
	case c == '<' && i+1 < len(src) && src[i+1] == '<':
		s.scanHeredocStart()
	case c == '(':
		s.push(frameParen, i)
		s.pos++
	case c == '[':
		if afterValue {
			s.op(i) // an index nests the tree like an operator
		}
		s.push(frameBrack, i)
		s.pos++
	case c == '{':
		s.push(frameBrace, i)
		s.pos++
	case c == ')' || c == ']':
		s.pop()
		s.pos++
		s.afterValue = true
	case c == '}':
		s.pop()
		s.pos++
		s.afterValue = true
		if f := s.top(); f != nil && (f.kind == frameString || f.kind == frameHeredoc) {
			return // the end of an interpolation: back in the template
		}
	case c == ',':
		s.endChain()
		s.pos++
	case isIdentStart(src, i):
		s.pos = identEnd(src, i)
		s.afterValue = true
		if s.onIdent != nil {
			s.onIdent(i, s.pos)
		}
	case c >= '0' && c <= '9':
		s.pos = numberEnd(src, i)
		s.afterValue = true
		s.checkNumber(i, s.pos)
	case strings.IndexByte("+-*/%!?<>=&|", c) >= 0:
		s.op(i)
		s.pos++
		if s.pos < len(src) && strings.IndexByte("=&|>", src[s.pos]) >= 0 {
			s.pos++
		}
	default:
		_, size := utf8.DecodeRune(src[i:])
		s.pos += max(size, 1)
	}
}

// scanTemplateText scans the literal text of a quoted string or heredoc up
// to an interpolation, the string's end or the next line.
func (s *scanner) scanTemplateText(f *frame) {
	src := s.src
	if f.kind == frameHeredoc && (s.pos == 0 || src[s.pos-1] == '\n') {
		end := s.pos
		for end < len(src) && src[end] != '\n' {
			end++
		}
		line := strings.TrimRight(string(src[s.pos:end]), "\r")
		if f.indent {
			line = strings.TrimLeft(line, " \t")
		}
		if line == f.marker {
			s.pos = end
			s.pop()
			return
		}
	}
	for s.pos < len(src) {
		c := src[s.pos]
		switch {
		case c == '\\' && f.kind == frameString && f.marker == "":
			s.pos += 2
			continue
		case c == '"' && f.kind == frameString && f.marker == "":
			s.pos++
			s.pop()
			s.afterValue = true
			return
		case c == '\n' && f.kind == frameHeredoc:
			s.pos++
			return
		case (c == '$' || c == '%') && s.pos+1 < len(src) && src[s.pos+1] == c:
			s.pos += 2 // $${ and %%{ are escapes
			continue
		case (c == '$' || c == '%') && s.pos+1 < len(src) && src[s.pos+1] == '{':
			s.token()
			s.push(frameInterp, s.pos)
			s.pos += 2
			return
		}
		s.pos++
	}
}

// scanHeredocStart reads <<MARKER or <<-MARKER and the rest of its line.
func (s *scanner) scanHeredocStart() {
	src, i := s.src, s.pos+2
	indent := i < len(src) && src[i] == '-'
	if indent {
		i++
	}
	if !isIdentStart(src, i) {
		s.op(s.pos) // a << that starts no heredoc
		s.pos += 2
		return
	}
	end := identEnd(src, i)
	if end >= len(src) || (src[end] != '\n' && !(src[end] == '\r' && end+1 < len(src) && src[end+1] == '\n')) {
		s.pos = end
		return
	}
	f := s.push(frameHeredoc, s.pos)
	f.marker, f.indent = string(src[i:end]), indent
	for end < len(src) && src[end] != '\n' {
		end++
	}
	s.pos = end + 1
}

func isIdentStart(src []byte, i int) bool {
	if i >= len(src) {
		return false
	}
	r, _ := utf8.DecodeRune(src[i:])
	return r == '_' || unicode.IsLetter(r)
}

func identEnd(src []byte, i int) int {
	for i < len(src) {
		r, size := utf8.DecodeRune(src[i:])
		if r != '_' && r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			break
		}
		i += size
	}
	return i
}

// MaxNumberLength bounds how many characters a number may be written
// with, and MaxNumberExponent its exponent: parsing and printing a number
// costs time in proportion to its digits, and 1e100000000 has a hundred
// million of them once written out.
const (
	MaxNumberLength   = 1000
	MaxNumberExponent = 1000
)

// checkNumber refuses the number written at [start, end) when it is too
// long or its exponent too large.
func (s *scanner) checkNumber(start, end int) {
	text := string(s.src[start:end])
	if len(text) > MaxNumberLength {
		s.fail(start, "Number too long", fmt.Sprintf("The number is written with more than %d characters, the most wurzel reads.", MaxNumberLength))
		return
	}
	e := strings.IndexAny(text, "eE")
	if e < 0 {
		return
	}
	digits := strings.TrimLeft(text[e+1:], "+-")
	digits = strings.TrimLeft(digits, "0")
	if len(digits) > 4 || (digits != "" && atoi(digits) > MaxNumberExponent) {
		s.fail(start, "Number out of range", fmt.Sprintf("The exponent of the number is beyond %d, the most wurzel reads: written out, the number would have that many digits.", MaxNumberExponent))
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func numberEnd(src []byte, i int) int {
	for i < len(src) && src[i] >= '0' && src[i] <= '9' {
		i++
	}
	if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
		i++
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && src[j] >= '0' && src[j] <= '9' {
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			i = j
		}
	}
	return i
}

// scanJSON scans HCL's JSON syntax: arrays and objects nest, and each
// string that holds a template is scanned as one, from the depth of the
// string.
func (s *scanner) scanJSON() {
	src := s.src
	for s.pos < len(src) && !s.failed {
		c := src[s.pos]
		switch c {
		case '[', '{':
			s.token()
			s.push(frameBrack, s.pos)
			s.pos++
		case ']', '}':
			s.pop()
			s.pos++
		case '"':
			s.token()
			s.scanJSONString()
		case ',', ':', ' ', '\t', '\r', '\n':
			s.pos++
		default:
			s.token()
			start := s.pos
			s.pos++
			for s.pos < len(src) && strings.IndexByte("[]{}\",: \t\r\n", src[s.pos]) < 0 {
				s.pos++
			}
			s.checkNumber(start, s.pos)
		}
	}
}

func (s *scanner) scanJSONString() {
	src, start := s.src, s.pos
	i := start + 1
	template := false
	for i < len(src) && src[i] != '"' {
		if src[i] == '\\' {
			i++
		} else if (src[i] == '{') && i > start+1 && (src[i-1] == '$' || src[i-1] == '%') {
			template = true
		}
		i++
	}
	end := min(i+1, len(src))
	s.pos = end
	if !template || s.plainStrings {
		return
	}
	var text string
	if err := json.Unmarshal(src[start:end], &text); err != nil {
		return // the parser reports it
	}
	inner := newScanner([]byte(text), s.depth)
	inner.scanNative(modeTemplate)
	s.tokens += inner.tokens
	if inner.failed {
		// Offsets in the decoded text do not map onto the file once
		// escapes are involved: point at the string.
		s.fail(start, inner.summary, inner.failMsg)
	}
}

// rangeAt returns the range of the character at offset off of src, which
// starts at start.
func rangeAt(filename string, src []byte, start hcl.Pos, off int) hcl.Range {
	off = min(off, len(src))
	p := start
	for i := 0; i < off; {
		r, size := utf8.DecodeRune(src[i:])
		if r == '\n' {
			p.Line, p.Column = p.Line+1, 1
		} else {
			p.Column++
		}
		i += max(size, 1)
	}
	p.Byte = start.Byte + off
	end := p
	if off < len(src) {
		_, size := utf8.DecodeRune(src[off:])
		end.Byte += max(size, 1)
		end.Column++
	}
	return hcl.Range{Filename: filename, Start: p, End: end}
}
