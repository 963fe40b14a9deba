package testcase

import (
	"os"
	"path/filepath"
	"testing"
)

func TestExtract(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "c.txtar")
	data := "comment\n-- options --\nvar a=1\nvar-file vars.hcl\nenv WURZEL_VAR_b=2\n" +
		"-- p.wurzel.hcl --\npipeline \"p\" {}\n-- vars.hcl --\na = 3\n-- ir.json --\n{}\n"
	if err := os.WriteFile(archive, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	c := Extract(t, archive)
	if got, err := os.ReadFile(filepath.Join(c.Dir, "p.wurzel.hcl")); err != nil || string(got) != "pipeline \"p\" {}\n" {
		t.Errorf("pipeline file: %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(c.Dir, "ir.json")); !os.IsNotExist(err) {
		t.Errorf("the expectation section was written as a file")
	}
	if string(c.Expect["ir.json"]) != "{}\n" {
		t.Errorf("Expect = %q", c.Expect)
	}
	if len(c.Vars) != 1 || c.Vars[0] != "a=1" || len(c.Environ) != 1 || c.VarFiles[0] != filepath.Join(c.Dir, "vars.hcl") {
		t.Errorf("options: %+v", c)
	}
}

func TestRepositoryFindsExamplesAndCases(t *testing.T) {
	cases := Repository(t, filepath.Join("..", ".."))
	var examples, valid int
	for _, c := range cases {
		switch filepath.Dir(c.Name) {
		case "examples":
			examples++
		case "testdata/valid":
			valid++
		}
	}
	if examples < 2 || valid < 7 {
		t.Errorf("found %d examples and %d valid cases", examples, valid)
	}
}
