package dvc

import (
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/ir"
)

func TestCheckExampleClean(t *testing.T) {
	for name, p := range goldenCases() {
		if diags := New().Check(p); len(diags) != 0 {
			t.Errorf("%s: unexpected diagnostics: %+v", name, diags)
		}
	}
	if diags := New().Check(hostile()); len(diags) != 0 {
		t.Errorf("hostile: unexpected diagnostics: %+v", diags)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(p *ir.Pipeline)
		summary string
		detail  string // a fragment of the detail
		at      ir.Range
		warning bool
	}{
		{
			name: "secret without local source",
			edit: func(p *ir.Pipeline) {
				p.Secrets[0].Local = nil
				p.Steps[3].Ranges.Secrets = ir.ListRanges{Range: rng(129)}
			},
			summary: "Secret without a local source", detail: `uses secret "index-token"`, at: rng(129),
		},
		{
			name:    "secret with an empty local block",
			edit:    func(p *ir.Pipeline) { p.Secrets[0].Local = &ir.LocalSecret{} },
			summary: "Secret without a local source", detail: `step "index"`, at: rng(127),
		},
		{
			name: "data_dir leaves the project",
			edit: func(p *ir.Pipeline) {
				setDVC(p, "data_dir", "../out", rng(13))
			},
			summary: "Invalid DVC data directory", detail: "leaves the project", at: rng(13),
		},
		{
			name:    "data_dir absolute",
			edit:    func(p *ir.Pipeline) { setDVC(p, "data_dir", "/srv/data", rng(12)) },
			summary: "Invalid DVC data directory", detail: "is absolute", at: rng(12),
		},
		{
			name:    "data_dir inside .dvc",
			edit:    func(p *ir.Pipeline) { setDVC(p, "data_dir", "./.dvc/cache", rng(12)) },
			summary: "Invalid DVC data directory", detail: "inside .dvc", at: rng(12),
		},
		{
			name: "watch path leaves the project",
			edit: func(p *ir.Pipeline) {
				p.Steps[1].Watch = []string{"../shared/config.toml"}
				p.Steps[1].Ranges.Watch = ir.ListRanges{Elems: []ir.Range{rng(80)}}
			},
			summary: "Watch path outside the DVC project", detail: `"../shared/config.toml"`, at: rng(80),
		},
		{
			name: "local source leaves the project",
			edit: func(p *ir.Pipeline) {
				p.Steps[0].Inputs[0].Source = "../corpus"
				p.Steps[0].Inputs[0].Ranges.Source = rng(65)
			},
			summary: "Source outside the DVC project", detail: `input "corpus" of step "read"`, at: rng(65), warning: true,
		},
		{
			name: "watch path is another step's output",
			edit: func(p *ir.Pipeline) {
				p.Steps[1].Watch = []string{"data/read/pages"}
				p.Steps[1].Ranges.Watch = ir.ListRanges{Elems: []ir.Range{rng(80)}}
			},
			summary: "Overlapping DVC paths", detail: `is the same path as output "pages" of step "read"`, at: rng(80),
		},
		{
			name: "watch path holds outputs",
			edit: func(p *ir.Pipeline) {
				p.Steps[1].Watch = []string{"data"}
				p.Steps[1].Ranges.Watch = ir.ListRanges{Elems: []ir.Range{rng(80)}}
			},
			summary: "Overlapping DVC paths", detail: `output "pages" of step "read" ("data/read/pages") is inside watch path of step "split"`, at: rng(80),
		},
		{
			name: "secret directory inside an output",
			edit: func(p *ir.Pipeline) {
				p.Secrets[0].Local.Dir = "data/read/pages/keys"
			},
			summary: "Overlapping DVC paths", detail: `the local directory of secret "index-token"`, at: rng(40),
		},
		{
			name:    "volume directory holds outputs",
			edit:    func(p *ir.Pipeline) { p.Volumes[0].LocalDir = "./data/" },
			summary: "Overlapping DVC paths", detail: `the local directory of volume "embed-cache"`, at: rng(52),
		},
		{
			name: "outputs inside the step specs",
			edit: func(p *ir.Pipeline) {
				setDVC(p, "data_dir", "wurzel", ir.Range{})
				p.Steps[0].Name = "steps"
				p.Steps[1].Inputs[0].From.Step = "steps"
			},
			summary: "Overlapping DVC paths", detail: `output "pages" of step "steps" ("wurzel/steps/pages") is inside the generated wurzel/steps`, at: rng(69),
		},
		{
			name: "duplicate outputs across stages",
			edit: func(p *ir.Pipeline) {
				p.Steps[2].Name = "split"
				p.Steps[2].Outputs[0].Name = "chunks"
			},
			summary: "Overlapping DVC paths", detail: `output "chunks" of step "split" ("data/split/chunks") is the same path as output "chunks" of step "split"`, at: rng(111),
		},
		{
			name:    "invalid stage name",
			edit:    func(p *ir.Pipeline) { p.Steps[0].Name = "read:all" },
			summary: "Invalid DVC stage name", detail: `"read:all"`, at: rng(58),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ragIngestWith(tt.edit)
			diags := New().Check(p)
			for _, d := range diags {
				if d.Summary == tt.summary && strings.Contains(d.Detail, tt.detail) {
					if d.Subject != tt.at {
						t.Errorf("diagnostic at %v, want %v", d.Subject, tt.at)
					}
					if want := map[bool]ir.Severity{false: ir.Error, true: ir.Warning}[tt.warning]; d.Severity != want {
						t.Errorf("severity %v, want %v", d.Severity, want)
					}
					return
				}
			}
			t.Errorf("no %q diagnostic containing %q; got:", tt.summary, tt.detail)
			for _, d := range diags {
				t.Logf("  %s: %s: %s", d.Subject, d.Summary, d.Detail)
			}
		})
	}
}
