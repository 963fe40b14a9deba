package local

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/ir"
)

func TestForcedSteps(t *testing.T) {
	p := &ir.Pipeline{Name: "p", Steps: []ir.Step{
		{Name: "prepare-east", Instance: &ir.Instance{Of: "prepare", Key: "east"}},
		{Name: "prepare-north", Instance: &ir.Instance{Of: "prepare", Key: "north"}},
		{Name: "merge"},
	}}
	for spelling, want := range map[string][]string{
		"merge":              {"merge"},
		"prepare":            {"prepare-east", "prepare-north"},
		"prepare[*]":         {"prepare-east", "prepare-north"},
		`prepare["north"]`:   {"prepare-north"},
		"prepare[north]":     {"prepare-north"},
		"prepare-north":      {"prepare-north"},
		`prepare["north"],x`: nil,
	} {
		got, err := ForcedSteps(p, []string{spelling})
		if want == nil {
			if err == nil {
				t.Errorf("%s: accepted", spelling)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %q, %v; want %q", spelling, got, err, want)
		}
	}
	for spelling, msg := range map[string]string{
		`prepare["west"]`: `no instance with the key "west" (its keys: east, north)`,
		`merge["a"]`:      `no step "merge" with for_each`,
		"nothing":         `no step "nothing"`,
		`prepare["x`:      `write one instance as step["key"]`,
	} {
		if _, err := ForcedSteps(p, []string{spelling}); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: %v, want %q", spelling, err, msg)
		}
	}
}
