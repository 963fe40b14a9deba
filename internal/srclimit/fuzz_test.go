package srclimit

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// FuzzCheck scans arbitrary text in both syntaxes: the scanner never
// panics, its ranges lie inside the text, and what it accepts the parsers
// can parse.
func FuzzCheck(f *testing.F) {
	for _, seed := range []string{
		"x = " + nested("(", ")", 300),
		"a = \"${b}\" # c\n/* d */ e = <<-EOT\n  ${f(g[0], {h = 1})}\n  EOT\n",
		`{"a": ["${[for x in y : x]}", {"b\u202e": 1}]}`,
		"x = \"\\\"${\"${\"a\"}\"}\" + !-1 ? a.b[*].c : [for k, v in m : k => v...]\n",
		"\u0430bc = 1\n",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		diags := Check("f", src, json)
		diags = append(diags, Confusables("f", src, json)...)
		diags = append(diags, CheckExpression("f", src, hcl.InitialPos)...)
		for _, d := range diags {
			if r := d.Subject; r == nil || r.Start.Byte < 0 || r.Start.Byte > len(src) || r.End.Byte > len(src)+4 || r.End.Byte < r.Start.Byte {
				t.Fatalf("range %v outside the text of %d bytes", r, len(src))
			}
		}
		if Check("f", src, json).HasErrors() {
			return
		}
		if json {
			hcljson.Parse(src, "f")
		} else if !strings.ContainsRune(string(src), 0) {
			hclsyntax.ParseConfig(src, "f", hcl.InitialPos)
		}
	})
}
