package names

import (
	"regexp"
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	for _, n := range []string{"a", "rag-ingest", "step-1", "a" + strings.Repeat("b", 62)} {
		if !Valid(n) {
			t.Errorf("Valid(%q) = false", n)
		}
	}
	for _, n := range []string{"", "1a", "-a", "A", "a_b", "a.b", "a" + strings.Repeat("b", 63), "ä"} {
		if Valid(n) {
			t.Errorf("Valid(%q) = true", n)
		}
	}
}

func TestSuggest(t *testing.T) {
	for in, want := range map[string]string{"My_Step": "my-step", "ok": "", "1a": "", "A": "a"} {
		if got := Suggest(in); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRulesAreTheRegexps holds the hand-written checks to the patterns the
// docs state, over every string of up to three characters from an
// alphabet that straddles each class, and over lengths around the limit.
func TestRulesAreTheRegexps(t *testing.T) {
	name := regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	key := regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	alphabet := []string{"a", "z", "0", "9", "-", "_", "A", "`", "{", "/", ":", "ä"}
	cases := []string{""}
	for _, a := range alphabet {
		cases = append(cases, a)
		for _, b := range alphabet {
			cases = append(cases, a+b)
			for _, c := range alphabet {
				cases = append(cases, a+b+c)
			}
		}
	}
	for n := 60; n <= 65; n++ {
		cases = append(cases, "a"+strings.Repeat("b", n), "1"+strings.Repeat("-", n))
	}
	for _, s := range cases {
		if got, want := Valid(s), name.MatchString(s); got != want {
			t.Errorf("Valid(%q) = %v, the pattern says %v", s, got, want)
		}
		if got, want := ValidKeyName(s), len(s) < 63 && key.MatchString(s); got != want {
			t.Errorf("ValidKeyName(%q) = %v, the pattern says %v", s, got, want)
		}
	}
}
