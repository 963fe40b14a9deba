package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const budgetPipeline = "pipeline \"p\" {\n  image = \"alpine:3\"\n}\n"

// TestBudgetExhaustedInsideCanIsReported: can() swallows the error of an
// exhausted budget, but the load must still fail, at the expression where
// the budget ran out, and build no IR.
func TestBudgetExhaustedInsideCanIsReported(t *testing.T) {
	src := budgetPipeline + `locals {
  fits = can(flatten([for a in range(1000) : [for b in range(1000) : range(1000)]]))
}
step "a" {
  command = ["echo", local.fits ? "yes" : "no"]
}
`
	res := LoadSources(".", map[string][]byte{"p.wurzel.hcl": []byte(src)}, Options{})
	if res.Pipeline != nil {
		t.Fatal("an exhausted budget built an IR")
	}
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, diagString(d))
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Summary != "Evaluation budget exceeded" || res.Diagnostics[0].Subject.Start.Line != 5 {
		t.Fatalf("diagnostics:\n%s", strings.Join(got, "\n"))
	}
}

// TestBudgetIsPerLoad: a pipeline that uses much of the budget loads, and
// loads again: the budget belongs to one load.
func TestBudgetIsPerLoad(t *testing.T) {
	src := budgetPipeline + `locals {
  grid = flatten([for a in range(300) : [for b in range(1000) : a + b]])
}
step "a" {
  command = ["echo", length(local.grid)]
}
`
	for i := 0; i < 3; i++ {
		res := LoadSources(".", map[string][]byte{"p.wurzel.hcl": []byte(src)}, Options{})
		if res.Diagnostics.HasErrors() {
			t.Fatalf("load %d: %s", i, dump(res.Diagnostics))
		}
		if got := res.Pipeline.Steps[0].Command[1]; got != "300000" {
			t.Fatalf("length = %s", got)
		}
	}
}

// TestSensitiveValuesAreNeverQuoted gives bad values to sensitive variables
// in every way there is: no diagnostic may quote them or keep them as a
// source to quote, and each points at the declaration.
func TestSensitiveValuesAreNeverQuoted(t *testing.T) {
	dir := t.TempDir()
	varFile := filepath.Join(dir, "values.hcl")
	if err := os.WriteFile(varFile, []byte("num = \"secret-in-file\"\ntok = \"short-in-file\"\nexpr = 1 + \"secret-expr\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := budgetPipeline + `variable "num" {
  type      = number
  sensitive = true
}
variable "tok" {
  type      = string
  sensitive = true
  validation {
    condition     = strlen(var.tok) > 20
    error_message = "Too short."
  }
}
variable "expr" {
  type      = number
  sensitive = true
  default   = 1
}
variable "lst" {
  type      = list(number)
  sensitive = true
  default   = [1]
}
step "a" {
  command = ["echo"]
}
`
	for _, opts := range []Options{
		{Vars: []string{`num=[1, "secret-flag"]`, "tok=short-flag", `lst=["secret-list"`}},
		{Environ: []string{`WURZEL_VAR_num="secret-env"`, "WURZEL_VAR_tok=short-env", "WURZEL_VAR_lst=secret.ref"}},
		{VarFiles: []string{varFile}},
	} {
		res := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": []byte(src)}, opts)
		if !res.Diagnostics.HasErrors() {
			t.Fatalf("%+v: no errors", opts)
		}
		for name := range res.Files {
			if strings.HasPrefix(name, "<value for") {
				t.Errorf("%+v: the value is kept as %s", opts, name)
			}
		}
		for _, d := range res.Diagnostics {
			text := d.Summary + d.Detail
			if strings.Contains(text, "secret") || strings.Contains(text, "short-") {
				t.Errorf("%+v: %s", opts, diagString(d))
			}
			if d.Subject != nil && d.Subject.Filename == varFile {
				t.Errorf("%+v: points into the value file: %s", opts, diagString(d))
			}
		}
	}
}
