package argo_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/driver"
	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/lang"
	"github.com/wurzel-dev/wurzel/targets/argo"
)

// fanOutSource has instances whose values are hard to carry through a
// parameter ("$", quotes, a backslash, a newline, non-ASCII text), an
// instance pairing with another step's instance by key, a fan-in over file
// and directory outputs, and a step reading one instance.
const fanOutSource = `
pipeline "fan" {
  image = "alpine:3"
}

locals {
  greetings = {
    de = "Grüß \"dich\" $HOME \\ ${"$"}{X}"
    en = "hello\nworld"
    fr = "salut $$(Y)"
  }
}

step "greet" {
  for_each = local.greetings
  command  = ["sh", "-c", "mkdir -p out && printf '%s|%s|%s' \"$WURZEL_EACH_KEY\" \"$GREET__TEXT\" \"$1\" > out/text", "sh", each.value]
  settings = { text = each.value }
  output "text" { path = "out/text" }
}

step "shout" {
  for_each = local.greetings
  command  = ["sh", "-c", "mkdir -p out/dir && tr a-z A-Z < inputs/text > out/dir/text"]
  input "text" { from = step.greet[each.key].output.text }
  output "loud" { path = "out/dir/" }
}

step "gather" {
  command = ["sh", "-c", "{ ls inputs/texts; cat inputs/texts/*; echo; cat inputs/loud/*/text; echo; cat inputs/one; } > all.txt"]
  input "texts" { from = step.greet[*].output.text }
  input "loud" { from = step.shout[*].output.loud }
  input "one" { from = step.greet["fr"].output.text }
  output "all" { path = "all.txt" }
}
`

func loadSource(t *testing.T, src string) *ir.Pipeline {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.wurzel.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := driver.Check(dir, lang.Options{}, argo.New())
	if res.Pipeline == nil || res.Diagnostics.HasErrors() {
		t.Fatalf("%v", res.Diagnostics)
	}
	return res.Pipeline
}

// TestInstancesShareATemplate plays the workflow of a step with instances
// with the real runner: one template per step, each instance's task passes
// what differs as parameters, Argo's substitution puts them in, and every
// value reaches the command exactly; the fan-in reads every instance's
// output from their common prefix.
func TestInstancesShareATemplate(t *testing.T) {
	testtool.Need(t, "sh", "a POSIX shell")
	p := loadSource(t, fanOutSource)
	files, err := argo.New().Generate(p, backend.GenerateOptions{Version: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	data := string(files[0].Data)
	for _, name := range []string{"greet", "shout", "gather"} {
		if n := strings.Count(data, "\n  - name: "+name+"\n"); n != 1 {
			t.Errorf("template %s appears %d times, want once", name, n)
		}
	}
	roots := simulate(t, p)
	got, err := os.ReadFile(filepath.Join(roots["gather"], "wurzel", "work", "all.txt"))
	if err != nil {
		t.Fatal(err)
	}
	de := "Grüß \"dich\" $HOME \\ ${X}"
	en := "hello\nworld"
	fr := "salut $$(Y)"
	want := "de\nen\nfr\n" +
		"de|" + de + "|" + de + "en|" + en + "|" + en + "fr|" + fr + "|" + fr + "\n" +
		asciiUpper("de|"+de+"|"+de+"en|"+en+"|"+en+"fr|"+fr+"|"+fr) + "\n" +
		"fr|" + fr + "|" + fr
	if string(got) != want {
		t.Errorf("gather saw\n%q\nwant\n%q", got, want)
	}
}

// asciiUpper is what tr a-z A-Z does.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
