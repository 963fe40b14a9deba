package dvc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// plainSafe reports whether every YAML reader, 1.1 and 1.2 alike, reads s
// back as the same string when it is written without quotes: a letter, "_"
// or "/" first (so never a number, date, "~", ".inf" or an indicator), then
// only characters that cannot start a comment, a mapping value or a flow
// collection, and single spaces between words. It is the regular expression
// ^[A-Za-z_/][A-Za-z0-9_./+=-]*( [A-Za-z0-9_./+=-]+)*$ written out, because
// it runs for every string written.
func plainSafe(s string) bool {
	if s == "" || !(isLetter(s[0]) || s[0] == '_' || s[0] == '/') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case isLetter(c) || ('0' <= c && c <= '9') || strings.IndexByte("_./+=-", c) >= 0:
		case c == ' ':
			if i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// yaml11Words are the plain scalars YAML 1.1 reads as booleans or null (in
// any of the spellings the 1.1 type repository allows); YAML 1.2 reads most
// of them as strings. They are always quoted.
var yaml11Words = map[string]bool{
	"y": true, "yes": true, "n": true, "no": true, "true": true, "false": true,
	"on": true, "off": true, "null": true,
}

// needsQuotes reports whether s must be quoted so that YAML 1.1 and 1.2
// readers agree that it is the string s.
func needsQuotes(s string) bool {
	return !plainSafe(s) || yaml11Words[strings.ToLower(s)]
}

// str is a string scalar, double-quoted whenever a plain one could be read
// as something else.
func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if needsQuotes(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

func null() *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// mapping builds a mapping node from alternating keys and values, in the
// order given.
type mapping struct{ node *yaml.Node }

func newMapping() *mapping {
	return &mapping{node: &yaml.Node{Kind: yaml.MappingNode}}
}

func (m *mapping) add(key string, value *yaml.Node) {
	m.node.Content = append(m.node.Content, str(key), value)
}

func (m *mapping) empty() bool { return len(m.node.Content) == 0 }

func strList(items []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, s := range items {
		n.Content = append(n.Content, str(s))
	}
	return n
}

// encodeYAML writes a document with an optional comment header, indented by
// two spaces. The yaml.v3 emitter never folds long lines, so the output does
// not depend on line width.
func encodeYAML(header string, root *yaml.Node) ([]byte, error) {
	doc := &yaml.Node{Kind: yaml.DocumentNode, HeadComment: header, Content: []*yaml.Node{root}}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// valueNode converts a variable's value (nil, bool, string, json.Number,
// float64, []any or map[string]any) to YAML that 1.1 and 1.2 readers decode
// to the same value. Map keys are sorted.
func valueNode(v any) (*yaml.Node, error) {
	switch x := v.(type) {
	case nil:
		return null(), nil
	case bool:
		return boolean(x), nil
	case string:
		return str(x), nil
	case json.Number:
		return numberNode(string(x))
	case float64:
		return numberNode(strconv.FormatFloat(x, 'g', -1, 64))
	case int:
		return numberNode(strconv.Itoa(x))
	case int64:
		return numberNode(strconv.FormatInt(x, 10))
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range x {
			en, err := valueNode(e)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, en)
		}
		return n, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		m := newMapping()
		for _, k := range keys {
			en, err := valueNode(x[k])
			if err != nil {
				return nil, err
			}
			m.add(k, en)
		}
		return m.node, nil
	default:
		return nil, fmt.Errorf("unsupported value of type %T", v)
	}
}

var decimalInt = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

// numberNode writes a number so that both YAML versions read the same
// number: integers as they are; other numbers always with a "." and, when an
// exponent is needed, a signed one, because YAML 1.1 reads "1e3" as a string
// and YAML 1.2 as a float.
func numberNode(text string) (*yaml.Node, error) {
	if decimalInt.MatchString(text) {
		// No explicit tag: an integer too large for 64 bits stays plain
		// digits, which Python's YAML readers (DVC's) read exactly.
		return &yaml.Node{Kind: yaml.ScalarNode, Value: text}, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("number %q cannot be written to YAML", text)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: formatFloat(f)}, nil
}

// formatFloat renders f with a "." always, and a signed exponent only for
// very large or very small magnitudes.
func formatFloat(f float64) string {
	abs := math.Abs(f)
	if abs == 0 || (abs >= 1e-4 && abs < 1e21) {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // like 1.5e+30 or 1e-07
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	return mant + "e" + exp
}
