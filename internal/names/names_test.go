package names

import (
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
