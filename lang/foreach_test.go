package lang

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// stepNames lists the IR's steps in order.
func stepNames(res *Result) []string {
	var out []string
	for _, s := range res.Pipeline.Steps {
		out = append(out, s.Name)
	}
	return out
}

func TestForEachGrid(t *testing.T) {
	res := mustLoad(t, header+`
variable "models" { default = ["small", "large"] }
variable "seeds" { default = [1, 2] }

step "train" {
  for_each = {
    for pair in setproduct(var.models, var.seeds) :
    "${pair[0]}-s${pair[1]}" => { model = pair[0], seed = pair[1] }
  }
  command  = ["train", "--model", each.value.model, "--seed", tostring(each.value.seed)]
  settings = { run = each.key }
  output "model" { path = "out/model" }
}

step "pick" {
  command = ["pick"]
  input "models" { from = step.train[*].output.model }
}
`, Options{})
	want := []string{"train-large-s1", "train-large-s2", "train-small-s1", "train-small-s2", "pick"}
	if got := stepNames(res); !reflect.DeepEqual(got, want) {
		t.Fatalf("steps %q, want %q", got, want)
	}
	s := res.Pipeline.Steps[2]
	if got := strings.Join(s.Command, " "); got != "train --model small --seed 1" {
		t.Errorf("command %q", got)
	}
	if s.Instance == nil || s.Instance.Of != "train" || s.Instance.Key != "small-s1" {
		t.Errorf("instance %+v", s.Instance)
	}
	if len(s.Settings) != 1 || s.Settings[0].EnvName != "TRAIN__RUN" || s.Settings[0].Value != "small-s1" {
		t.Errorf("settings %+v: the prefix is the block's name", s.Settings)
	}
	pick := res.Pipeline.Steps[4]
	if got := pick.Needs; len(got) != 4 {
		t.Errorf("pick needs %q", got)
	}
	fan := pick.Inputs[0].FanIn
	if fan == nil || fan.Step != "train" || fan.Output != "model" || len(fan.Instances) != 4 || fan.Instances[0].Key != "large-s1" || fan.Instances[0].Step != "train-large-s1" {
		t.Errorf("fan-in %+v", fan)
	}
	var keys []string
	for _, d := range res.Decls {
		if d.Kind == DeclStep && d.Name == "train" {
			keys = d.Keys
		}
	}
	if want := []string{"large-s1", "large-s2", "small-s1", "small-s2"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("decl keys %q, want %q", keys, want)
	}
}

// A mistake that does not depend on the instance is reported once, not
// once per instance; one that does is reported per value.
func TestForEachDiagnosticsOnce(t *testing.T) {
	res := loadSrc(t, header+`
step "a" {
  for_each = toset(["x", "y", "z"])
  command  = ["run"]
  timeout  = "soon"
}
step "b" {
  for_each = { x = "1h", y = "later", z = "never" }
  command  = ["run"]
  timeout  = each.value
}
`, Options{})
	var a, b int
	for _, d := range res.Diagnostics {
		switch d.Subject.Start.Line {
		case 8:
			a++
		case 13:
			b++
		}
	}
	if a != 1 || b != 2 {
		t.Errorf("got %d diagnostics for a (want 1) and %d for b (want 2):\n%s", a, b, dump(res.Diagnostics))
	}
	for _, d := range res.Diagnostics {
		instance := strings.Contains(d.Detail, "This is the instance")
		if d.Subject.Start.Line == 8 && instance || d.Subject.Start.Line == 13 && !instance {
			t.Errorf("only what some instances report names the instance: %s", d.Detail)
		}
	}
}

func TestForEachReferencesRecordedOnce(t *testing.T) {
	res := mustLoad(t, header+`
variable "shards" { default = ["a", "b", "c"] }
step "prep" {
  for_each = toset(var.shards)
  command  = ["prep", var.shards[0]]
  output "rows" { path = "out/rows" }
}
step "merge" {
  command = ["merge"]
  input "rows" { from = step.prep[*].output.rows }
}
`, Options{})
	count := map[string]int{}
	for _, r := range res.Refs {
		count[string(r.Kind)+" "+r.Step+" "+r.Name]++
	}
	if count["variable  shards"] != 2 || count["output prep rows"] != 1 {
		t.Errorf("references %v: want var.shards twice (two places) and the output once", count)
	}
}

func TestForEachMessages(t *testing.T) {
	res := loadSrc(t, header+`
step "prep" {
  for_each = toset(["north", "south"])
  command  = ["prep"]
  output "rows" { path = "out/rows" }
}
step "plain" {
  command = ["plain"]
  output "rows" { path = "out/rows" }
}
step "merge" {
  command = ["merge"]
  input "a" { from = step.prep["nrth"].output.rows }
  input "b" { from = step.plain[*].output.rows }
  input "c" { from = step.prep.output.rows }
}
`, Options{})
	for summary, want := range map[string]string{
		"Reference to undeclared instance": `Did you mean "north"?`,
		"Step has no instances":            "Did you mean step.plain.output.rows?",
		"Instance not chosen":              `step.prep[*].output.rows for every instance`,
	} {
		d := findDiag(res.Diagnostics, summary)
		if d == nil || !strings.Contains(d.Detail, want) {
			t.Errorf("%s: want a detail with %q, got %v", summary, want, d)
		}
	}
}

func TestDependsOnEveryInstance(t *testing.T) {
	res := mustLoad(t, header+`
step "prep" {
  for_each = toset(["a", "b"])
  command  = ["prep"]
}
step "one" {
  command    = ["one"]
  depends_on = [step.prep["b"]]
}
step "all" {
  command    = ["all"]
  depends_on = [step.prep, step.one]
}
`, Options{})
	all := res.Pipeline.Step("all")
	if want := []string{"one", "prep-a", "prep-b"}; !reflect.DeepEqual(all.DependsOn, want) {
		t.Errorf("depends_on %q, want %q", all.DependsOn, want)
	}
	if want := []string{"prep-b"}; !reflect.DeepEqual(res.Pipeline.Step("one").Needs, want) {
		t.Errorf("needs %q, want %q", res.Pipeline.Step("one").Needs, want)
	}
}

func TestUnknownBlockSuggestsNearestBlock(t *testing.T) {
	res := loadSrc(t, header+`
step "a" {
  command = ["true"]
  ouput "model" { path = "m" }
}
`, Options{})
	d := findDiag(res.Diagnostics, "Unsupported block type")
	if d == nil || !strings.Contains(d.Detail, `Did you mean "output"?`) {
		t.Errorf("want the nearest block suggested: %v", d)
	}
}

func TestCountAndDynamicSayWhatInstead(t *testing.T) {
	res := loadSrc(t, header+`
step "a" {
  count   = 2
  command = ["true"]
  dynamic "input" {}
}
`, Options{})
	if d := findDiag(res.Diagnostics, "Unsupported argument"); d == nil || !strings.Contains(d.Detail, "for_each") {
		t.Errorf("count: %v", d)
	}
	if d := findDiag(res.Diagnostics, "Unsupported block type"); d == nil || !strings.Contains(d.Detail, "[*]") {
		t.Errorf("dynamic: %v", d)
	}
}

func TestShellVariableInCommand(t *testing.T) {
	res := loadSrc(t, header+`
step "a" {
  command = ["sh", "-c", "echo ${HOME}"]
}
`, Options{})
	d := findDiag(res.Diagnostics, "Unknown reference")
	if d == nil || !strings.Contains(d.Detail, "$${HOME}") || strings.Contains(d.Detail, "..") {
		t.Fatalf("want a hint at $${HOME} and no doubled period: %v", d)
	}
	// $${ is the escape: the command gets ${HOME} as written.
	ok := mustLoad(t, header+`step "a" { command = ["sh", "-c", "echo $${HOME}"] }`, Options{})
	if got := ok.Pipeline.Steps[0].Command[2]; got != "echo ${HOME}" {
		t.Errorf("command %q", got)
	}
}

func TestPipelineEnv(t *testing.T) {
	res := mustLoad(t, `pipeline "p" {
  env = { A = "pipeline", B = "pipeline" }
}
step "a" {
  command = ["true"]
  env     = { B = "step" }
}
step "b" { command = ["true"] }
`, Options{})
	if got := res.Pipeline.Step("a").Env; !reflect.DeepEqual(got, map[string]string{"A": "pipeline", "B": "step"}) {
		t.Errorf("env of a %v", got)
	}
	if got := res.Pipeline.Step("b").Env; !reflect.DeepEqual(got, map[string]string{"A": "pipeline", "B": "pipeline"}) {
		t.Errorf("env of b %v", got)
	}
	if r := res.Pipeline.Step("b").Ranges.Env.Key("A"); r.Start.Line != 2 {
		t.Errorf("the range of an env entry from the pipeline is the pipeline's: %v", r)
	}
	bad := loadSrc(t, `pipeline "p" {
  env = { WURZEL_X = "1", A__B = "x" }
}
step "a" {
  command  = ["true"]
  settings = { b = 1 }
}
`, Options{})
	if findDiag(bad.Diagnostics, "Reserved environment variable name") == nil {
		t.Errorf("want WURZEL_ refused in the pipeline's env: %s", dump(bad.Diagnostics))
	}
	if findDiag(bad.Diagnostics, "Setting clashes with env") == nil {
		t.Errorf("step a's setting b becomes A__B, which the pipeline's env sets: %s", dump(bad.Diagnostics))
	}
}

func TestForEachKeyRange(t *testing.T) {
	res := loadSrc(t, header+`
step "a" {
  for_each = { good = 1, "Bad" = 2 }
  command  = ["true"]
}
`, Options{})
	d := findDiag(res.Diagnostics, "Invalid instance key")
	if d == nil || d.Subject.Start.Line != 6 || d.Subject.Start.Column != 26 || d.Severity != hcl.DiagError {
		t.Errorf("want the key's range: %v", d)
	}
}

// In the JSON syntax a reference is a string, which may hold escapes: the
// ranges of its parts are those of the text as written, so that an editor's
// rename edits the right bytes.
func TestJSONReferenceRangesAfterEscapes(t *testing.T) {
	src := `{
  "pipeline": { "p": { "image": "alpine:3" } },
  "step": {
    "prep": {
      "for_each": "${toset([\"north\"])}",
      "command": ["prep"],
      "output": { "rows": { "path": "out/rows" } }
    },
    "use": {
      "command": ["use"],
      "input": { "x": { "from": "step.prep[\"north\"].output.rows" } }
    }
  }
}
`
	res := LoadSources(t.TempDir(), map[string][]byte{"p.wurzel.hcl.json": []byte(src)}, Options{Schema: language})
	if res.Diagnostics.HasErrors() {
		t.Fatal(dump(res.Diagnostics))
	}
	found := false
	for _, r := range res.Refs {
		if r.Kind != DeclOutput || r.Name != "rows" {
			continue
		}
		found = true
		got := src[r.NameRange.Start.Byte:r.NameRange.End.Byte]
		if got != ".rows" && got != "rows" {
			t.Errorf("the name range of the output covers %q", got)
		}
		if step := src[r.StepRange.Start.Byte:r.StepRange.End.Byte]; step != ".prep" && step != "prep" {
			t.Errorf("the step range covers %q", step)
		}
	}
	if !found {
		t.Fatalf("no reference to the output: %+v", res.Refs)
	}
}
