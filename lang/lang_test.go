package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/wurzel-dev/wurzel/ir"
)

// loadSrc loads one native-syntax file from a temporary directory.
func loadSrc(t *testing.T, src string, opts Options) *Result {
	t.Helper()
	if opts.Schema == nil {
		opts.Schema = language
	}
	return LoadSources(t.TempDir(), map[string][]byte{"p.wurzel.hcl": []byte(src)}, opts)
}

const header = "pipeline \"p\" {\n  image = \"alpine:3\"\n}\n"

// findDiag returns the first diagnostic whose summary contains summary.
func findDiag(diags hcl.Diagnostics, summary string) *hcl.Diagnostic {
	for _, d := range diags {
		if strings.Contains(d.Summary, summary) {
			return d
		}
	}
	return nil
}

func mustLoad(t *testing.T, src string, opts Options) *Result {
	t.Helper()
	res := loadSrc(t, src, opts)
	if res.Diagnostics.HasErrors() || res.Pipeline == nil {
		t.Fatalf("unexpected errors:\n%s", dump(res.Diagnostics))
	}
	return res
}

func TestVariablePrecedenceAndParsing(t *testing.T) {
	src := header + `
variable "s" {
  type    = string
  default = "d"
}
variable "n" {
  type    = number
  default = 1
}
variable "any" {
  default = "x"
}
step "a" {
  command = ["echo", var.s, var.n, jsonencode(var.any)]
}
`
	cases := []struct {
		name    string
		opts    Options
		command []string
	}{
		{"defaults", Options{}, []string{"echo", "d", "1", `"x"`}},
		{"environment", Options{Environ: []string{"WURZEL_VAR_s=env", "WURZEL_VAR_n=2", "OTHER=1"}}, []string{"echo", "env", "2", `"x"`}},
		{"flag beats environment", Options{Environ: []string{"WURZEL_VAR_s=env"}, Vars: []string{"s=flag"}}, []string{"echo", "flag", "1", `"x"`}},
		{"later flag wins", Options{Vars: []string{"n=3", "n=4"}}, []string{"echo", "d", "4", `"x"`}},
		{"string takes raw text", Options{Vars: []string{"s=1 + 2 = 3"}}, []string{"echo", "1 + 2 = 3", "1", `"x"`}},
		{"other types parse as HCL", Options{Vars: []string{"n=1 + 2", `any={"k" = [1]}`}}, []string{"echo", "d", "3", `{"k":[1]}`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := mustLoad(t, src, c.opts)
			got := strings.Join(res.Pipeline.Steps[0].Command, "|")
			if want := strings.Join(c.command, "|"); got != want {
				t.Errorf("command = %s, want %s", got, want)
			}
		})
	}
}

func TestVarFilePrecedence(t *testing.T) {
	dir := t.TempDir()
	one := filepath.Join(dir, "one.hcl")
	two := filepath.Join(dir, "two.json")
	os.WriteFile(one, []byte("s = \"one\"\nextra = 1\n"), 0o644)
	os.WriteFile(two, []byte(`{"s": "two"}`), 0o644)
	src := header + `
variable "s" { type = string }
step "a" { command = ["echo", var.s] }
`
	res := loadSrc(t, src, Options{VarFiles: []string{one, two}, Environ: []string{"WURZEL_VAR_s=env"}})
	if res.Pipeline == nil {
		t.Fatalf("errors:\n%s", dump(res.Diagnostics))
	}
	if got := res.Pipeline.Steps[0].Command[1]; got != "two" {
		t.Errorf("later var file should win over earlier and the environment, got %q", got)
	}
	if d := findDiag(res.Diagnostics, "Value for undeclared variable"); d == nil || d.Severity != hcl.DiagWarning || d.Subject == nil || d.Subject.Filename != one {
		t.Errorf("undeclared name in a var file should be a ranged warning, got %v", d)
	}
	res = loadSrc(t, src, Options{VarFiles: []string{one, two}, Vars: []string{"s=flag"}})
	if got := res.Pipeline.Steps[0].Command[1]; got != "flag" {
		t.Errorf("--var should win over var files, got %q", got)
	}
}

func TestVarFlagErrors(t *testing.T) {
	src := header + `
variable "count" {
  type    = number
  default = 1
}
step "a" { command = ["echo", var.count] }
`
	cases := map[string]string{
		"cuont=2":   "Value for undeclared variable",
		"count":     "Invalid --var option",
		"count=x y": "Invalid value for variable",
		`count="a"`: "Invalid value for variable",
	}
	for flag, summary := range cases {
		res := loadSrc(t, src, Options{Vars: []string{flag}})
		if d := findDiag(res.Diagnostics, summary); d == nil || d.Severity != hcl.DiagError {
			t.Errorf("--var %s: want error %q, got:\n%s", flag, summary, dump(res.Diagnostics))
		}
		if res.Pipeline != nil {
			t.Errorf("--var %s: IR built despite errors", flag)
		}
	}
	res := loadSrc(t, src, Options{Vars: []string{"cuont=2"}})
	if d := findDiag(res.Diagnostics, "undeclared"); d == nil || !strings.Contains(d.Detail, `Did you mean "count"?`) {
		t.Errorf("want a suggestion, got %v", d)
	}

	// A bad value is ranged in a file of its own that holds the text, so
	// that it can be quoted: the part after the "=".
	for _, flag := range []string{`count="a"`, "count=[1", "count=x"} {
		res := loadSrc(t, src, Options{Vars: []string{flag}})
		d := findDiag(res.Diagnostics, "Invalid value for variable")
		if d == nil || d.Subject == nil || d.Subject.Filename != "<value for var.count>" {
			t.Errorf("--var %s: want a diagnostic ranged in <value for var.count>, got:\n%s", flag, dump(res.Diagnostics))
			continue
		}
		f := res.Files["<value for var.count>"]
		if _, raw, _ := strings.Cut(flag, "="); f == nil || string(f.Bytes) != raw {
			t.Errorf("--var %s: the value's text is not kept for the snippet: %v", flag, f)
		}
	}
}

func TestSensitiveValues(t *testing.T) {
	src := header + `
variable "token" {
  type      = string
  sensitive = true
  validation {
    condition     = substr(var.token, 0, 4) == "tok-"
    error_message = "must start with tok-"
  }
}
step "a" {
  command = ["true"]
  env     = { TOKEN = var.token }
}
`
	res := loadSrc(t, src, Options{Vars: []string{"token=hunter2"}})
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Summary+d.Detail, "hunter2") {
			t.Errorf("diagnostic leaks the sensitive value: %s", diagString(d))
		}
	}
	d := findDiag(res.Diagnostics, "Sensitive value")
	if d == nil || d.Subject == nil || d.Subject.Start.Line != 15 {
		t.Fatalf("want a sensitive-value error on the env entry, got:\n%s", dump(res.Diagnostics))
	}
	if !strings.Contains(d.Detail, "secret") {
		t.Errorf("the error should point to secrets: %s", d.Detail)
	}

	ok := header + `
variable "token" {
  type      = string
  sensitive = true
  default   = "hunter2"
}
locals { n = strlen(var.token) > 0 ? "yes" : "no" }
step "a" { command = ["echo", "x"] }
`
	res = loadSrc(t, ok, Options{})
	if res.Pipeline == nil {
		t.Fatalf("errors:\n%s", dump(res.Diagnostics))
	}
	v := res.Pipeline.Variables[0]
	if !v.Sensitive || v.Value != nil {
		t.Errorf("sensitive variable in IR: %+v", v)
	}
}

func TestDeclsAndRefs(t *testing.T) {
	src := header + `
variable "v" { default = "x" }
locals { l = var.v }
secret "s" {
  keys = ["k"]
  kubernetes { name = "s" }
  local { dir = "s" }
}
volume "vol" {
  type       = "empty_dir"
  mount_path = "/v"
}
step "a" {
  command = ["echo", local.l]
  output "o" { path = "o" }
}
step "b" {
  command    = ["true"]
  secrets    = [secret.s]
  volumes    = [volume.vol]
  depends_on = [step.a]
  input "i" { from = step.a.output.o }
}
`
	res := mustLoad(t, src, Options{})
	kinds := map[DeclKind]int{}
	for _, d := range res.Decls {
		kinds[d.Kind]++
		if d.Range.Start.Byte > d.DefRange.Start.Byte || d.Range.End.Byte < d.DefRange.End.Byte {
			t.Errorf("%s %s: Range %v does not contain DefRange %v", d.Kind, d.Name, d.Range, d.DefRange)
		}
	}
	want := map[DeclKind]int{DeclPipeline: 1, DeclVariable: 1, DeclLocal: 1, DeclSecret: 1, DeclVolume: 1, DeclStep: 2, DeclOutput: 1, DeclInput: 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d decls of kind %s, want %d", kinds[k], k, n)
		}
	}
	src2 := []byte(src)
	got := map[string]DeclKind{}
	for _, r := range res.Refs {
		text := string(src2[r.Range.Start.Byte:r.Range.End.Byte])
		if r.Decl == nil {
			t.Errorf("ref %s unresolved", text)
			continue
		}
		if r.Decl.Kind != r.Kind || r.Decl.Name != r.Name {
			t.Errorf("ref %s points to %s %s", text, r.Decl.Kind, r.Decl.Name)
		}
		got[text] = r.Kind
	}
	for text, kind := range map[string]DeclKind{"var.v": DeclVariable, "local.l": DeclLocal, "secret.s": DeclSecret, "volume.vol": DeclVolume, "step.a": DeclStep, "step.a.output.o": DeclOutput} {
		if got[text] != kind {
			t.Errorf("ref %q: kind %q, want %q (refs: %v)", text, got[text], kind, got)
		}
	}
}

func TestRefsWithErrors(t *testing.T) {
	// The editor needs declarations and references also when the pipeline
	// has errors.
	res := loadSrc(t, header+`
step "a" {
  command = ["true"]
  input "i" { from = step.nope.output.o }
}
`, Options{})
	if len(res.Decls) != 3 {
		t.Errorf("decls: %d, want 3", len(res.Decls))
	}
	if len(res.Refs) != 1 || res.Refs[0].Decl != nil || res.Refs[0].Name != "nope" {
		t.Errorf("refs: %+v", res.Refs)
	}
}

func TestCycleDiagnostic(t *testing.T) {
	src := header + `
step "c" {
  command    = ["true"]
  depends_on = [step.a]
}
step "b" {
  command    = ["true"]
  depends_on = [step.c]
}
step "a" {
  command    = ["true"]
  depends_on = [step.b]
}
step "d" {
  command    = ["true"]
  depends_on = [step.a]
}
`
	var first string
	dir := t.TempDir()
	for i := 0; i < 3; i++ {
		res := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": []byte(src)}, Options{})
		var cycles []*hcl.Diagnostic
		for _, d := range res.Diagnostics {
			if d.Summary == "Dependency cycle" {
				cycles = append(cycles, d)
			}
		}
		if len(cycles) != 1 {
			t.Fatalf("want one cycle diagnostic, got:\n%s", dump(res.Diagnostics))
		}
		d := cycles[0]
		if d.Subject.Start.Line != 13 {
			t.Errorf("cycle should point at step a (line 13), got %d", d.Subject.Start.Line)
		}
		for _, s := range []string{`step "a" (`, `step "b" (`, `step "c" (`, ":13)", ":9)", ":5)", "a needs b needs c needs a"} {
			if !strings.Contains(d.Detail, s) {
				t.Errorf("detail %q lacks %q", d.Detail, s)
			}
		}
		if strings.Contains(d.Detail, `"d"`) {
			t.Errorf("step d is not in the cycle: %s", d.Detail)
		}
		if i == 0 {
			first = d.Detail
		} else if d.Detail != first {
			t.Errorf("detail not deterministic:\n%s\n%s", first, d.Detail)
		}
	}
}

func TestLocalsDependencyOrder(t *testing.T) {
	res := mustLoad(t, header+`
variable "base" { default = "b" }
locals {
  c = "${local.b}-c"
  b = "${local.a}-b"
}
locals { a = var.base }
step "s" { command = ["echo", local.c] }
`, Options{})
	if got := res.Pipeline.Steps[0].Command[1]; got != "b-b-c" {
		t.Errorf("got %q", got)
	}
}

func TestAttrsRanges(t *testing.T) {
	src := `pipeline "p" {
  image  = "alpine:3"
  labels = { team = "x" }
}
step "a" {
  command  = ["echo", "hi"]
  env      = { HOME_DIR = "/h" }
  settings = { overlap = 32 }
  input "i" {
    source = "https://example.com/x"
  }
  resources {
    cpu = "1"
  }
}
`
	res := mustLoad(t, src, Options{})
	s := res.Pipeline.Steps[0]
	for name, c := range map[string]struct {
		r   ir.Range
		col int
	}{
		"command":          {s.Ranges.Command.Range, 14},
		"command[0]":       {s.Ranges.Command.Elem(0), 15},
		"command[1]":       {s.Ranges.Command.Elem(1), 23},
		"env.HOME_DIR":     {s.Ranges.Env.Key("HOME_DIR"), 27},
		"settings.overlap": {s.Ranges.Settings.Key("overlap"), 26},
		"resources.cpu":    {s.Ranges.CPU, 11},
		"labels.team":      {res.Pipeline.Ranges.Labels.Key("team"), 21},
		"image":            {res.Pipeline.Ranges.Image, 12},
		"input source":     {s.Inputs[0].Ranges.Source, 14},
	} {
		if c.r.IsZero() {
			t.Errorf("no range for %s", name)
		} else if c.r.Start.Column != c.col {
			t.Errorf("%s at column %d, want %d", name, c.r.Start.Column, c.col)
		}
	}
	if r := s.Inputs[0].Ranges.Source; r.Start.Line != 10 {
		t.Errorf("input source range %v", r)
	}
	if s.Inputs[0].Path != "inputs/i" {
		t.Errorf("default input path %q", s.Inputs[0].Path)
	}
}

func TestLoadErrors(t *testing.T) {
	res := Load(filepath.Join(t.TempDir(), "missing"), Options{})
	if d := findDiag(res.Diagnostics, "Cannot read pipeline"); d == nil {
		t.Errorf("missing path: %s", dump(res.Diagnostics))
	}
	res = Load(t.TempDir(), Options{})
	if d := findDiag(res.Diagnostics, "Cannot read pipeline"); d == nil || !strings.Contains(d.Detail, "no .wurzel.hcl") {
		t.Errorf("empty directory: %s", dump(res.Diagnostics))
	}
	res = LoadSources(t.TempDir(), nil, Options{})
	if !res.Diagnostics.HasErrors() {
		t.Errorf("no sources should be an error")
	}
}

func TestDirectoryIgnoresOtherFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.wurzel.hcl"), []byte(header+"step \"a\" { command = [\"true\"] }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.hcl"), []byte("this is not read {"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "b.wurzel.hcl"), []byte("broken {"), 0o644)
	res := Load(dir, Options{})
	if res.Pipeline == nil {
		t.Fatalf("errors:\n%s", dump(res.Diagnostics))
	}
	if got := res.Pipeline.Files; len(got) != 1 || got[0] != "a.wurzel.hcl" {
		t.Errorf("files %v", got)
	}
	// A single file given by path works too, and its neighbours are not read.
	res = Load(filepath.Join(dir, "a.wurzel.hcl"), Options{})
	if res.Pipeline == nil || res.Pipeline.Dir != dir {
		t.Errorf("single file: %v %s", res.Pipeline, dump(res.Diagnostics))
	}
}

func TestDeterministicDiagnostics(t *testing.T) {
	path := "../testdata/invalid/argo_bad_enums.wurzel.hcl"
	a, b := Load(path, Options{}), Load(path, Options{})
	if dump(a.Diagnostics) != dump(b.Diagnostics) {
		t.Errorf("diagnostics differ between runs")
	}
	for i := 1; i < len(a.Diagnostics); i++ {
		if a.Diagnostics[i].Subject.Start.Byte < a.Diagnostics[i-1].Subject.Start.Byte {
			t.Errorf("diagnostics not sorted by position")
		}
	}
}

func TestFileFunction(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "steps"), 0o755)
	os.WriteFile(filepath.Join(dir, "steps", "x.py"), []byte("print(1)\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bin"), []byte{0xff, 0xfe}, 0o644)
	src := header + `step "a" { command = ["python3", "-c", file("steps/x.py")] }` + "\n" +
		`step "b" { command = ["true", file("bin")] }` + "\n" +
		`step "c" { command = ["true", file("steps")] }` + "\n"
	res := LoadSources(dir, map[string][]byte{"p.wurzel.hcl": []byte(src)}, Options{})
	var errs []string
	for _, d := range res.Diagnostics {
		errs = append(errs, d.Detail)
		if d.Subject == nil || d.Subject.Start.Line < 5 {
			t.Errorf("file() error not ranged on the call: %s", diagString(d))
		}
	}
	all := strings.Join(errs, "\n")
	for _, want := range []string{"not UTF-8", "is a directory"} {
		if !strings.Contains(all, want) {
			t.Errorf("want %q in:\n%s", want, all)
		}
	}
	if len(res.Diagnostics) != 2 {
		t.Errorf("want exactly 2 errors, got:\n%s", dump(res.Diagnostics))
	}
}

func TestWatchMissingWarns(t *testing.T) {
	res := loadSrc(t, header+`step "a" {
  command = ["true"]
  watch   = ["src/app.py"]
}
`, Options{})
	d := findDiag(res.Diagnostics, "Watched path does not exist")
	if d == nil || d.Severity != hcl.DiagWarning || res.Pipeline == nil {
		t.Errorf("want a warning and an IR: %s", dump(res.Diagnostics))
	}
}

func TestSecretWarnings(t *testing.T) {
	res := loadSrc(t, header+`secret "s" { keys = ["k"] }
step "a" { command = ["true"] }
`, Options{})
	if d := findDiag(res.Diagnostics, "Unused secret"); d == nil || d.Severity != hcl.DiagWarning {
		t.Errorf("want warning %q: %s", "Unused secret", dump(res.Diagnostics))
	}
	// Missing sources are the targets' to report, for secrets in use.
	if len(res.Diagnostics) != 1 {
		t.Errorf("want only the unused-secret warning: %s", dump(res.Diagnostics))
	}
	if res.Pipeline == nil {
		t.Errorf("warnings must not keep the IR from being built")
	}
}

func TestNoImageIsNotAnError(t *testing.T) {
	res := mustLoad(t, "pipeline \"p\" {}\nstep \"a\" { command = [\"true\"] }\n", Options{})
	if res.Pipeline.Steps[0].Image != "" {
		t.Errorf("image %q", res.Pipeline.Steps[0].Image)
	}
}

func TestJSONDeclsAndRefs(t *testing.T) {
	src := `{
  "pipeline": { "p": {} },
  "step": {
    "a": { "command": ["true"], "output": { "o": { "path": "o" } } },
    "b": {
      "command": ["true"],
      "input": { "i": { "from": "step.a.output.o" } },
      "depends_on": ["step.a"]
    }
  }
}
`
	res := LoadSources(t.TempDir(), map[string][]byte{"p.wurzel.hcl.json": []byte(src)}, Options{})
	if res.Pipeline == nil {
		t.Fatalf("errors:\n%s", dump(res.Diagnostics))
	}
	var texts []string
	for _, r := range res.Refs {
		if r.Decl == nil {
			t.Errorf("unresolved ref %+v", r)
			continue
		}
		texts = append(texts, src[r.Range.Start.Byte:r.Range.End.Byte])
	}
	if got := strings.Join(texts, " "); got != "step.a.output.o step.a" {
		t.Errorf("refs %q", got)
	}
	steps := 0
	for _, d := range res.Decls {
		if d.Kind == DeclStep {
			steps++
			if d.Range.End.Byte <= d.DefRange.End.Byte {
				t.Errorf("step %s: Range %v should extend past DefRange %v", d.Name, d.Range, d.DefRange)
			}
		}
	}
	if steps != 2 {
		t.Errorf("%d step decls", steps)
	}
}

func TestSensitiveValueNotInFunctionErrors(t *testing.T) {
	res := loadSrc(t, header+`
variable "token" {
  type      = string
  sensitive = true
}
locals { n = parseint(var.token, 10) }
step "a" { command = ["echo", tostring(local.n)] }
`, Options{Vars: []string{"token=hunter2"}})
	if !res.Diagnostics.HasErrors() {
		t.Fatalf("want an error")
	}
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Summary+d.Detail, "hunter2") {
			t.Errorf("diagnostic leaks the sensitive value: %s", diagString(d))
		}
	}
}

func TestStepVariablesFollowLocals(t *testing.T) {
	res := mustLoad(t, `pipeline "p" {}
variable "a" {
  default = 1
}
variable "b" {
  default = 2
}
variable "unused" {
  default = 3
}
locals {
  twice = var.a * 2
  both  = local.twice + var.b
}
step "direct" {
  command  = ["true"]
  settings = { n = var.b }
}
step "through-locals" {
  command = ["echo", tostring(local.both)]
}
step "none" {
  command = ["true"]
}
`, Options{})
	want := map[string][]string{"direct": {"b"}, "through-locals": {"a", "b"}, "none": {}}
	for name, vars := range want {
		got := res.Pipeline.Step(name).Variables
		if got == nil || strings.Join(got, ",") != strings.Join(vars, ",") {
			t.Errorf("step %s: Variables = %#v, want %v", name, got, vars)
		}
	}
}
