package srclimit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func nested(open, close string, n int) string {
	return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
}

func TestCheckRefusesDeepNesting(t *testing.T) {
	cases := []struct {
		name string
		src  string
		json bool
		line int
	}{
		{"parens", "locals {\n  x = " + nested("(", ")", 100_000) + "\n}\n", false, 2},
		{"brackets", "x = " + nested("[", "]", MaxNesting+1), false, 1},
		{"templates", "x = " + nested(`"${`, `}"`, MaxNesting), false, 1},
		{"unary", "a = 1\nx = " + strings.Repeat("!", 100_000) + "true\n", false, 2},
		{"chain", "x = 1" + strings.Repeat(" + 1", 1000), false, 1},
		{"conditionals", "x = " + strings.Repeat("true ? 1 : ", 1000) + "1", false, 1},
		{"indexes", "x = y" + strings.Repeat("[0]", 1000), false, 1},
		{"heredoc", "x = <<EOT\n" + nested("${", "}", MaxNesting+1) + "\nEOT\n", false, 2},
		{"json", `{"locals": {"x": ` + nested("[", "]", 100_000) + `}}`, true, 1},
		{"json template", `{"locals": {"x": "${` + nested("(", ")", 100_000) + `}"}}`, true, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diags := Check("f", []byte(c.src), c.json)
			if len(diags) != 1 || diags[0].Summary != "Nesting too deep" {
				t.Fatalf("got %v", diags)
			}
			if r := diags[0].Subject; r == nil || r.Filename != "f" || r.Start.Line != c.line {
				t.Errorf("range %v, want line %d", r, c.line)
			}
		})
	}
}

func TestCheckAccepts(t *testing.T) {
	ok := []string{
		"x = " + nested("(", ")", MaxNesting-1),
		"x = [" + strings.Repeat("1 + 1, ", 10_000) + "]",
		"x = {\n" + strings.Repeat("  a = 1 + 2 + 3\n", 10_000) + "}\n",
		"x = \"a-b-c ${a-b-c} $${not} %%{not} \\\" ((((\"\n",
		"x = <<-EOT\n  ((((( ${a + b}\n  EOT\ny = 1 + 1\n",
		"# (((((((\n/* [[[[[[[ */ x = a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z\n",
	}
	for _, src := range ok {
		if diags := Check("f", []byte(src), false); diags.HasErrors() {
			t.Errorf("%.60q refused: %v", src, diags)
		}
	}
	if diags := Check("f", []byte(`{"a": "((((( ${x} [[[[", "b": [[[1]]]}`), true); diags.HasErrors() {
		t.Errorf("JSON refused: %v", diags)
	}
}

// TestCheckAcceptsTheProjectsPipelines guards against a scanner that
// misreads real files.
func TestCheckAcceptsTheProjectsPipelines(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../../testdata/*/*.wurzel.hcl*", "../../testdata/*/*/*.wurzel.hcl*", "../../examples/*/*.wurzel.hcl*"} {
		m, _ := filepath.Glob(pattern)
		files = append(files, m...)
	}
	if len(files) < 50 {
		t.Fatalf("only %d files found", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(f, "nesting_too_deep") || strings.Contains(f, "number_literal_too_large") {
			continue // the fixtures of the errors of this package
		}
		if diags := Check(f, src, strings.HasSuffix(f, ".json")); diags.HasErrors() {
			t.Errorf("%s: %v", f, diags)
		}
	}
}

func TestCheckExpressionRange(t *testing.T) {
	start := hcl.Pos{Line: 1, Column: 1, Byte: 0}
	diags := CheckExpression("<value>", []byte(nested("[", "]", 1000)), start)
	if !diags.HasErrors() || diags[0].Subject.Start.Column != MaxNesting+1 {
		t.Fatalf("got %v", diags)
	}
}

func TestCheckRefusesTooManyTokens(t *testing.T) {
	src := "x = [" + strings.Repeat("1,", MaxTokens) + "]"
	diags := Check("f", []byte(src), false)
	if !diags.HasErrors() || diags[0].Summary != "Too many tokens" {
		t.Fatalf("got %v", diags)
	}
}

func TestConfusables(t *testing.T) {
	src := "locals {\n  abc = 1\n  \u0430bc = 2\n  \u0430\u0431\u0432 = 3\n  caf\u00e9 = 4\n}\nx = [local.\u0430bc, \"admin\u202e\u2066 // ok\u2069\u2066\"]\n"
	diags := Confusables("f", []byte(src), false)
	var got []string
	for _, d := range diags {
		if d.Severity != hcl.DiagWarning {
			t.Errorf("not a warning: %v", d)
		}
		got = append(got, d.Summary+"@"+strings.TrimPrefix(d.Subject.String(), "f:"))
	}
	want := []string{"Bidirectional control character@7,23-24", "Identifier mixes scripts@3,3-6"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	if !strings.Contains(diags[0].Detail, "U+202E") || !strings.Contains(diags[0].Detail, "holds 4") {
		t.Errorf("detail %q", diags[0].Detail)
	}
	if !strings.Contains(diags[1].Detail, "Cyrillic and Latin") {
		t.Errorf("detail %q", diags[1].Detail)
	}
	if d := Confusables("f", []byte("{\"a\u202e\": 1}"), true); len(d) != 1 {
		t.Errorf("JSON: %v", d)
	}
}

func TestCheckNumbers(t *testing.T) {
	for src, want := range map[string]string{
		"x = 1e100000000":                  "Number out of range",
		"x = 1E-99999":                     "Number out of range",
		"x = " + strings.Repeat("7", 1001): "Number too long",
		"x = 1e1000":                       "",
		"x = 1.5e-0007 + 0e00000000000001": "",
		"x = " + strings.Repeat("7", 1000): "",
	} {
		diags := Check("f", []byte(src), false)
		got := ""
		if diags.HasErrors() {
			got = diags[0].Summary
		}
		if got != want {
			t.Errorf("%.40q: %q, want %q", src, got, want)
		}
	}
	if err := JSONNestingError([]byte(`[1e5000]`)); err == nil {
		t.Error("jsondecode of 1e5000 accepted")
	}
	if err := JSONNestingError([]byte(`{"a": "${((((x))))}", "b": 1e10}`)); err != nil {
		t.Errorf("plain JSON refused: %v", err)
	}
}

// TestItems finds the lines that start top-level items, and none of the
// lines inside blocks, heredocs, multi-line comments or brackets that only
// look like one.
func TestItems(t *testing.T) {
	lines := []string{
		"# a comment\n",                      // 0: the first item starts at 0
		"pipeline \"p\" {\n",                 // 1
		"  image = \"a\"\n",                  //
		"  note = <<EOT\n",                   //
		"x = not an item\n",                  //
		"EOT\n",                              //
		"}\n",                                //
		"\n",                                 //
		"/* step \"no\" {\n",                 //
		"step \"not\" {\n",                   //
		"*/\n",                               //
		"locals {\n",                         // 11
		"  list = [\n",                       //
		"a, b,\n",                            //
		"  ]\n",                              //
		"  s = \"}\\\" ${ \"{\" }\"\n",       //
		"}\n",                                //
		"  x = 1 # one\n",                    // 17
		"step \"s\" { command = [\"}\"] }\n", // 18
	}
	src := strings.Join(lines, "")
	var want []int
	off := 0
	for i, l := range lines {
		if i == 0 || i == 1 || i == 11 || i == 17 || i == 18 {
			want = append(want, off)
		}
		off += len(l)
	}
	got := Items([]byte(src))
	_, _, checked := CheckItems("f", []byte(src))
	for _, g := range [][]int{got, checked} {
		if len(g) != len(want) {
			t.Fatalf("items at %v, want %v", g, want)
		}
		for i := range want {
			if g[i] != want[i] {
				t.Fatalf("items at %v, want %v", g, want)
			}
		}
	}
	// From an item's start on, the rest of the items are found alike.
	rest := Items([]byte(src[want[2]:]))
	if len(rest) != len(want)-2 || rest[1] != want[3]-want[2] {
		t.Errorf("items of the tail: %v", rest)
	}
}
