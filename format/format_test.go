package format

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func TestSource(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{
			name: "aligns attributes",
			in:   "step \"a\" {\ncommand=[\"x\"]\n  image =   \"i\"\n}\n",
			want: "step \"a\" {\n  command = [\"x\"]\n  image   = \"i\"\n}\n",
		},
		{
			name: "already canonical",
			in:   "pipeline \"p\" {\n  image = \"i\"\n}\n",
			want: "pipeline \"p\" {\n  image = \"i\"\n}\n",
		},
		{
			name: "adds the final newline",
			in:   "a = 1",
			want: "a = 1\n",
		},
		{
			name: "trims trailing blank lines",
			in:   "a = 1\n\n\n  \n",
			want: "a = 1\n",
		},
		{
			name: "normalises CRLF line endings",
			in:   "a  =  1\r\nbb = 2\r\n",
			want: "a  = 1\nbb = 2\n",
		},
		{
			name: "drops carriage returns that end a line",
			in:   "# c\r\r\na = 1\r\n#\r\r\n#",
			want: "# c\na = 1\n#\n#\n",
		},
		{
			name: "keeps carriage returns inside a line",
			in:   "# a\rb\na = 1\n",
			want: "# a\rb\na = 1\n",
		},
		{
			name: "keeps comments and blank lines between items",
			in:   "# head\n\na = 1 # why\n\n\nb = 2\n",
			want: "# head\n\na = 1 # why\n\n\nb = 2\n",
		},
		{
			name: "never rewrites expressions",
			in:   "a = \"${var.x}\"\nb = (1+2)*3\nc = [ for s in var.l : upper(s) ]\n",
			want: "a = \"${var.x}\"\nb = (1 + 2) * 3\nc = [for s in var.l : upper(s)]\n",
		},
		{
			name: "for_each, each and instance selectors",
			in:   "step \"p\" {\nfor_each=toset(var.shards)\n  command = [\"prep\",each.key]\n}\nstep \"m\" {\n  input \"a\" { from = step.p[ * ].output.rows }\n  input \"b\" { from = step.p[ \"north\" ].output.rows }\n  input \"c\" {\n  from=step.p[each.key].output.rows\n  }\n}\n",
			want: "step \"p\" {\n  for_each = toset(var.shards)\n  command  = [\"prep\", each.key]\n}\nstep \"m\" {\n  input \"a\" { from = step.p[*].output.rows }\n  input \"b\" { from = step.p[\"north\"].output.rows }\n  input \"c\" {\n    from = step.p[each.key].output.rows\n  }\n}\n",
		},
		{
			name: "empty file stays empty",
			in:   "\n\n",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := Source("test.wurzel.hcl", []byte(tt.in))
			if diags.HasErrors() {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			if string(got) != tt.want {
				t.Errorf("Source(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			again, _ := Source("test.wurzel.hcl", got)
			if !bytes.Equal(again, got) {
				t.Errorf("not idempotent: second pass gave %q", again)
			}
		})
	}
}

func TestSourceRefusesInvalidInput(t *testing.T) {
	got, diags := Source("bad.wurzel.hcl", []byte("step \"a\" {\n  command = [\n}\n"))
	if got != nil {
		t.Errorf("got output %q for input that does not parse", got)
	}
	if !diags.HasErrors() {
		t.Fatal("no error diagnostics for input that does not parse")
	}
	for _, d := range diags {
		if d.Subject == nil || d.Subject.Filename != "bad.wurzel.hcl" {
			t.Errorf("diagnostic %q has subject %v, want a range in bad.wurzel.hcl", d.Summary, d.Subject)
		}
	}
}

func TestSourceLeavesJSONAlone(t *testing.T) {
	in := []byte(`{"step":{"a":{"command":   ["x"]}}}`)
	got, diags := Source("p.wurzel.hcl.json", in)
	if len(diags) != 0 || !bytes.Equal(got, in) {
		t.Errorf("Source changed a JSON file: %q, %v", got, diags)
	}
}

func TestIsNativeFile(t *testing.T) {
	for name, want := range map[string]bool{
		"pipeline.wurzel.hcl":      true,
		"a/b/x.wurzel.hcl":         true,
		"pipeline.wurzel.hcl.json": false,
		"main.tf":                  false,
		"vars.hcl":                 false,
	} {
		if got := IsNativeFile(name); got != want {
			t.Errorf("IsNativeFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// FuzzSource checks the promises of Source on arbitrary input: no panic,
// output that parses, idempotence, and the same tokens as the input apart
// from whitespace.
func FuzzSource(f *testing.F) {
	for _, seed := range []string{
		"a = 1\n",
		"step \"a\" {\ncommand=[\"x\"]\n  image =   \"i\"\n}\n",
		"x = <<EOT\n  hi\n   EOT\n",
		"a = {\nb=1\ncc = [1,\n2]\n}\n# c\n",
		"a = \"${var.x} %{if true}y%{endif}\"\n",
		"a  =  1\r\nbb = 2\r\n",
		"#\r\r\n#",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		out, diags := Source("fuzz.wurzel.hcl", src)
		if diags.HasErrors() {
			if out != nil {
				t.Fatalf("output %q despite errors", out)
			}
			return
		}
		if _, d := hclsyntax.ParseConfig(out, "fuzz.wurzel.hcl", hcl.InitialPos); d.HasErrors() {
			t.Fatalf("formatted output does not parse: %v\ninput:  %q\noutput: %q", d, src, out)
		}
		again, _ := Source("fuzz.wurzel.hcl", out)
		if !bytes.Equal(again, out) {
			t.Fatalf("not idempotent\ninput:  %q\nfirst:  %q\nsecond: %q", src, out, again)
		}
		normalised := normaliseLineEnds(src)
		if a, b := significantTokens(normalised), significantTokens(out); a != b {
			t.Fatalf("formatting changed tokens\ninput:  %q\noutput: %q\nbefore: %s\nafter:  %s", src, out, a, b)
		}
	})
}

// significantTokens renders the tokens of src except newlines, and comments
// and heredoc end markers without their trailing whitespace, so that two texts which differ only in
// layout render the same.
func significantTokens(src []byte) string {
	tokens, _ := hclsyntax.LexConfig(src, "x", hcl.InitialPos)
	var b strings.Builder
	for _, tok := range tokens {
		switch tok.Type {
		case hclsyntax.TokenNewline, hclsyntax.TokenEOF:
			continue
		case hclsyntax.TokenComment, hclsyntax.TokenCHeredoc:
			b.WriteString(strings.TrimRight(string(tok.Bytes), " \t\r\n"))
		default:
			b.Write(tok.Bytes)
		}
		b.WriteString("\x00")
	}
	return b.String()
}

// hclwrite alone would turn "0 .0" (an index into 0) into the number 0.0.
func TestSourceRefusesToChangeTokens(t *testing.T) {
	out, diags := Source("x.wurzel.hcl", []byte("a = 0 .0\n"))
	if out != nil || !diags.HasErrors() {
		t.Fatalf("want an error and no output, got %q, %v", out, diags)
	}
	if d := diags[0]; d.Summary != "Cannot format without changing the expression" || d.Subject.Start.Line != 1 {
		t.Errorf("unexpected diagnostic %+v", d)
	}
}

func TestNormaliseLineEnds(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"a\nb":             "a\nb",
		"a\r\nb\r\n":       "a\nb\n",
		"a\r\r\nb":         "a\nb",
		"\r\n\r\r\n\r":     "\n\n\r",
		"a\rb\r":           "a\rb\r",
		"a\r\rb\r\n":       "a\r\rb\n",
		"\r\r\r":           "\r\r\r",
		"x\r\r\r\r\r\r\ny": "x\ny",
	} {
		got := string(normaliseLineEnds([]byte(in)))
		if got != want {
			t.Errorf("normaliseLineEnds(%q) = %q, want %q", in, got, want)
		}
		if again := string(normaliseLineEnds([]byte(got))); again != got {
			t.Errorf("normaliseLineEnds(%q) = %q, then %q: not stable", in, got, again)
		}
	}
}
