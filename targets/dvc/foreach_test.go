package dvc

import (
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
)

// forEachPipeline has a step with instances keyed north and south (and,
// when odd is set, an instance whose watch path is not named by its key).
func forEachPipeline(keys []string, watch func(key string) string) *ir.Pipeline {
	p := &ir.Pipeline{Name: "p", Image: "alpine:3"}
	for _, k := range keys {
		s := ir.Step{Name: "prep-" + k, Instance: &ir.Instance{Of: "prep", Key: k, Value: k},
			Command: []string{"prep", k}, Outputs: []ir.Output{{Name: "rows", Path: "rows.txt", Kind: ir.OutputFile}}}
		if watch != nil {
			s.Watch = []string{watch(k)}
		}
		p.Steps = append(p.Steps, s)
	}
	return p
}

func dvcYAML(t *testing.T, p *ir.Pipeline) string {
	t.Helper()
	files, err := New().Generate(p, backend.GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return string(files[0].Data)
}

func TestForeachStage(t *testing.T) {
	got := dvcYAML(t, forEachPipeline([]string{"north", "south"}, func(k string) string { return "conf/" + k + ".toml" }))
	for _, want := range []string{"  prep:\n    foreach:\n      - north\n      - south\n    do:\n",
		`"wurzel step exec --spec wurzel/steps/prep-${item}.json"`, `"conf/${item}.toml"`, `"data/prep-${item}/rows"`} {
		if !strings.Contains(got, want) {
			t.Errorf("dvc.yaml lacks %q:\n%s", want, got)
		}
	}
}

// Instances that differ in more than their keys are stages of their own.
func TestForeachFallsBackToStages(t *testing.T) {
	got := dvcYAML(t, forEachPipeline([]string{"north", "south"}, func(k string) string {
		if k == "north" {
			return "conf/up.toml"
		}
		return "conf/down.toml"
	}))
	if strings.Contains(got, "foreach") || !strings.Contains(got, "  prep-north:\n") || !strings.Contains(got, "  prep-south:\n") {
		t.Errorf("want a stage per instance:\n%s", got)
	}
}

// A key that is also part of DVC's variable must not be replaced inside
// it, even when the step has one instance.
func TestForeachKeyNamedItem(t *testing.T) {
	got := dvcYAML(t, forEachPipeline([]string{"item"}, func(k string) string { return "conf/" + k + ".toml" }))
	if strings.Contains(got, "${${") {
		t.Errorf("a replacement reached into ${item}:\n%s", got)
	}
}
