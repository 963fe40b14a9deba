package argo

import (
	"reflect"
	"testing"
)

func TestSplitCommon(t *testing.T) {
	for _, c := range []struct {
		strs           []string
		braces         bool
		prefix, suffix string
		middles        []string
		ok             bool
	}{
		// Common text is common text: splitAtKeys finds whole keys.
		{[]string{"prep-north", "prep-south"}, true, "prep-", "th", []string{"nor", "sou"}, true},
		{[]string{"a/north/x", "a/south/x"}, true, "a/", "th/x", []string{"nor", "sou"}, true},
		// Never inside a character: é and è share their first byte.
		{[]string{"café", "cafè"}, false, "caf", "", []string{"é", "è"}, true},
		// Never next to a brace where Argo reads placeholders.
		{[]string{"{a}", "{b}"}, true, "", "", []string{"{a}", "{b}"}, true},
		{[]string{"{a}", "{b}"}, false, "{", "}", []string{"a", "b"}, true},
		{[]string{"k/{{workflow.name}}/a", "k/{{workflow.name}}/b"}, true, "k/{{workflow.name}}/", "", []string{"a", "b"}, true},
		// A middle holding {{ cannot be a parameter's value.
		{[]string{"x{{a}}", "y{{b}}"}, true, "", "", nil, false},
		{[]string{"ab", "abab"}, false, "ab", "", []string{"", "ab"}, true},
	} {
		prefix, middles, suffix, ok := splitCommon(c.strs, c.braces)
		if ok != c.ok || ok && (prefix != c.prefix || suffix != c.suffix || !reflect.DeepEqual(middles, c.middles)) {
			t.Errorf("splitCommon(%q, %v) = %q %q %q %v, want %q %q %q %v", c.strs, c.braces, prefix, middles, suffix, ok, c.prefix, c.middles, c.suffix, c.ok)
		}
	}
}

func TestSplitAtKeys(t *testing.T) {
	prefix, suffix, ok := splitAtKeys([]string{"eu-north-x", "eu-south-x"}, []string{"north", "south"})
	if !ok || prefix != "eu-" || suffix != "-x" {
		t.Errorf("got %q %q %v", prefix, suffix, ok)
	}
	if _, _, ok := splitAtKeys([]string{"a", "b"}, []string{"north", "south"}); ok {
		t.Errorf("strings without their keys split at them")
	}
}

// The value of a parameter inside the step spec survives Argo's quoting:
// what is not printable is written as a \u escape.
func TestJSONStringContent(t *testing.T) {
	for in, want := range map[string]string{
		"plain":       "plain",
		"tab\there":   `tab\there`,
		"quote\"":     `quote\"`,
		"del\x7f":     `del\u007f`,
		"zero\u200bw": `zero\u200bw`,
		"emoji 😀":     "emoji 😀",
	} {
		if got := jsonStringContent(in); got != want {
			t.Errorf("jsonStringContent(%q) = %q, want %q", in, got, want)
		}
	}
}
