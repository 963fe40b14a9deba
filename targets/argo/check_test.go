package argo

import (
	"strings"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/targets/argo/internal/fixtures"
)

func at(line int) ir.Range {
	return ir.Range{Filename: "p.wurzel.hcl", Start: ir.Pos{Line: line, Column: 3, Byte: line * 100}, End: ir.Pos{Line: line, Column: 9, Byte: line*100 + 6}}
}

// setArgo sets one attribute of the pipeline's argo block, adding the block
// when there is none.
func setArgo(p *ir.Pipeline, name string, value any, r ir.Range) {
	b := p.Extension("argo")
	if b == nil {
		b = fixtures.Block("argo", nil)
		p.Extensions = append(p.Extensions, b)
	}
	b.Attrs[name] = &ir.Value{Value: value, Range: r}
}

// TestCheck breaks one thing at a time in a valid pipeline and expects one
// error with the given summary, at the given range.
func TestCheck(t *testing.T) {
	cases := []struct {
		name    string
		mutate  func(p *ir.Pipeline)
		summary string
		where   ir.Range
		detail  string
	}{
		{
			name: "template in command",
			mutate: func(p *ir.Pipeline) {
				p.Steps[1].Command = []string{"python3", "-c", "print('{{x}}')"}
				p.Steps[1].Ranges.Command = ir.ListRanges{Range: at(70), Elems: []ir.Range{{}, {}, at(71)}}
			},
			summary: "Argo would substitute {{ in command element 2", where: at(71), detail: "file",
		},
		{
			name: "template in env value",
			mutate: func(p *ir.Pipeline) {
				p.Steps[2].Env["X"] = "a{{b}}"
				p.Steps[2].Ranges.Env = ir.MapRanges{Keys: map[string]ir.Range{"X": at(72)}}
			},
			summary: "Argo would substitute {{ in env X", where: at(72),
		},
		{
			name: "template in setting",
			mutate: func(p *ir.Pipeline) {
				p.Steps[1].Settings[0].Value = "{{"
				p.Steps[1].Ranges.Settings = ir.MapRanges{Keys: map[string]ir.Range{"overlap": at(73)}}
			},
			summary: "Argo would substitute {{ in setting overlap", where: at(73),
		},
		{
			name: "template in label",
			mutate: func(p *ir.Pipeline) {
				p.Labels["team"] = "{{x}}"
				p.Ranges.Labels = ir.MapRanges{Keys: map[string]ir.Range{"team": at(74)}}
			},
			summary: "Argo would substitute {{ in the label team", where: at(74),
		},
		{
			name: "template in description",
			mutate: func(p *ir.Pipeline) {
				p.Description = "use {{inputs}}"
				p.Ranges.Description = at(75)
			},
			summary: "Argo would substitute {{ in the pipeline's description", where: at(75),
		},
		{
			name: "template in output path",
			mutate: func(p *ir.Pipeline) {
				p.Steps[0].Outputs[0].Path = "out/{{a}}"
				p.Steps[0].Outputs[0].Ranges.Path = at(76)
			},
			summary: "Argo would substitute {{ in the path of output pages", where: at(76),
		},
		{
			name: "template in annotation",
			mutate: func(p *ir.Pipeline) {
				setArgo(p, "annotations", map[string]string{"example.com/a": "{{"}, at(1))
				p.Extensions[0].Attrs["annotations"].Keys = map[string]ir.Range{"example.com/a": at(77)}
			},
			summary: "Argo would substitute {{ in the annotation example.com/a", where: at(77),
		},
		{
			name: "template in allowed host",
			mutate: func(p *ir.Pipeline) {
				p.Sources.AllowedHosts = []string{"{{x}}.example.com"}
				p.Ranges.AllowedHosts = ir.ListRanges{Elems: []ir.Range{at(92)}}
			},
			summary: "Argo would substitute {{ in an allowed host", where: at(92),
		},
		{
			name: "template in output type",
			mutate: func(p *ir.Pipeline) {
				p.Steps[0].Outputs[0].Type = "{{t}}"
				p.Steps[0].Outputs[0].Ranges.Type = at(93)
			},
			summary: "Argo would substitute {{ in the type of output pages", where: at(93),
		},
		{
			name: "template in exported secret variable",
			mutate: func(p *ir.Pipeline) {
				p.Secrets[0].ExportEnv = map[string]string{"token": "T{{"}
				p.Secrets[0].Ranges.ExportEnv = ir.MapRanges{Keys: map[string]ir.Range{"token": at(94)}}
			},
			summary: "Argo would substitute {{ in the exported variable of key token", where: at(94),
		},
		{
			name: "no steps",
			mutate: func(p *ir.Pipeline) {
				p.Steps, p.Edges, p.Secrets = nil, nil, nil
			},
			summary: "Pipeline has no steps", where: fixtures.RagIngest().Range,
		},
		{
			name:    "no image",
			mutate:  func(p *ir.Pipeline) { p.Steps[3].Image = "" },
			summary: "Step has no image", where: fixtures.RagIngest().Steps[3].Range,
		},
		{
			name:    "secret without kubernetes source",
			mutate:  func(p *ir.Pipeline) { p.Secrets[0].Kubernetes = nil },
			summary: "Secret has no Kubernetes source", where: fixtures.RagIngest().Secrets[0].Range, detail: `step "index"`,
		},
		{
			name:    "workflow name too long",
			mutate:  func(p *ir.Pipeline) { p.Name = strings.Repeat("a", 63) },
			summary: "Pipeline name too long for an Argo Workflow", where: fixtures.RagIngest().Range,
		},
		{
			name: "cron workflow name too long",
			mutate: func(p *ir.Pipeline) {
				p.Name = strings.Repeat("a", 53)
				p.Schedules = []string{"@daily"}
			},
			summary: "Pipeline name too long for an Argo CronWorkflow", where: fixtures.RagIngest().Range,
		},
		{
			name:    "step named like the entrypoint",
			mutate:  func(p *ir.Pipeline) { p.Steps[0].Name = "main" },
			summary: "Step name reserved by the Argo target", where: fixtures.RagIngest().Steps[0].Range,
		},
		{
			name: "secret volume name too long",
			mutate: func(p *ir.Pipeline) {
				p.Secrets[0].Name = strings.Repeat("s", 60)
				p.Steps[3].Secrets = []string{p.Secrets[0].Name}
			},
			summary: "Secret name too long for Argo", where: fixtures.RagIngest().Secrets[0].Range,
		},
		{
			name:    "volume name too long",
			mutate:  func(p *ir.Pipeline) { p.Volumes[0].Name = strings.Repeat("v", 60) },
			summary: "Volume name too long for Argo", where: fixtures.RagIngest().Volumes[0].Range,
		},
		{
			name: "invalid label value",
			mutate: func(p *ir.Pipeline) {
				p.Labels["team"] = "search team"
				p.Ranges.Labels = ir.MapRanges{Keys: map[string]ir.Range{"team": at(78)}}
			},
			summary: "Invalid Kubernetes label value", where: at(78),
		},
		{
			name: "invalid pod spec patch",
			mutate: func(p *ir.Pipeline) {
				setArgo(p, "pod_spec_patch", "[1, 2", at(80))
			},
			summary: "Invalid pod_spec_patch", where: at(80),
		},
		{
			name: "reserved mount path",
			mutate: func(p *ir.Pipeline) {
				p.Volumes[0].MountPath = "/wurzel/cache"
				p.Volumes[0].Ranges.MountPath = at(81)
			},
			summary: "Reserved mount path", where: at(81),
		},
		{
			name: "mount over the root",
			mutate: func(p *ir.Pipeline) {
				p.Volumes[0].MountPath = "/"
				p.Volumes[0].Ranges.MountPath = at(95)
			},
			summary: "Reserved mount path", where: at(95),
		},
		{
			name: "two mounts at one path",
			mutate: func(p *ir.Pipeline) {
				p.Secrets[0].MountPath = "/cache/embeddings"
				p.Steps[2].Secrets = []string{"index-token"}
				p.Steps[2].Ranges.Volumes = ir.ListRanges{Range: at(82)}
			},
			summary: "Two mounts at one path", where: at(82),
		},
		{
			name: "reserved env",
			mutate: func(p *ir.Pipeline) {
				p.Steps[2].Env["WURZEL_STEP_SPEC"] = "x"
				p.Steps[2].Ranges.Env = ir.MapRanges{Keys: map[string]ir.Range{"WURZEL_STEP_SPEC": at(83)}}
			},
			summary: "Reserved environment variable", where: at(83),
		},
		{
			name: "invalid namespace",
			mutate: func(p *ir.Pipeline) {
				setArgo(p, "namespace", "Team_A", at(84))
			},
			summary: "Invalid Kubernetes namespace", where: at(84),
		},
		{
			name: "invalid toleration",
			mutate: func(p *ir.Pipeline) {
				tol := fixtures.Block("toleration", fixtures.Attrs{"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule", "seconds": int64(5)})
				tol.Attrs["seconds"].Range = at(85)
				p.Extensions = []*ir.Block{fixtures.Block("argo", nil, tol)}
			},
			summary: "Invalid toleration", where: at(85),
		},
		{
			name: "invalid quantity",
			mutate: func(p *ir.Pipeline) {
				p.Steps[1].Resources.Memory = "2 GB"
				p.Steps[1].Ranges.Memory = at(86)
			},
			summary: "Invalid Kubernetes quantity", where: at(86),
		},
		{
			name: "sub-second timeout",
			mutate: func(p *ir.Pipeline) {
				p.Steps[1].Timeout = 500 * time.Millisecond
				p.Steps[1].Ranges.Timeout = at(87)
			},
			summary: "Timeout too short for Argo", where: at(87),
		},
		{
			name: "invalid Kubernetes secret name",
			mutate: func(p *ir.Pipeline) {
				p.Secrets[0].Kubernetes.Name = "Index_Token"
				p.Secrets[0].Ranges.KubernetesName = at(88)
			},
			summary: "Invalid Kubernetes Secret name", where: at(88),
		},
	}
	if diags := errorsIn(check(fixtures.RagIngest())); len(diags) > 0 {
		t.Fatalf("the base pipeline has errors: %+v", diags)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := fixtures.RagIngest()
			c.mutate(p)
			diags := errorsIn(check(p))
			if len(diags) != 1 {
				t.Fatalf("got %d errors, want 1: %+v", len(diags), diags)
			}
			d := diags[0]
			if d.Summary != c.summary {
				t.Errorf("summary %q, want %q", d.Summary, c.summary)
			}
			if d.Subject != c.where {
				t.Errorf("subject %v, want %v", d.Subject, c.where)
			}
			if c.detail != "" && !strings.Contains(d.Detail, c.detail) {
				t.Errorf("detail %q does not mention %q", d.Detail, c.detail)
			}
		})
	}
}

func errorsIn(diags []ir.Diagnostic) []ir.Diagnostic {
	var out []ir.Diagnostic
	for _, d := range diags {
		if d.Severity == ir.Error {
			out = append(out, d)
		}
	}
	return out
}

func TestLocalSourceWarns(t *testing.T) {
	p := fixtures.RagIngest()
	p.Steps[0].Inputs[0].Source = "./corpus"
	p.Steps[0].Inputs[0].Ranges.Source = at(90)
	diags := check(p)
	if len(diags) != 1 || diags[0].Severity != ir.Warning || diags[0].Subject != at(90) {
		t.Fatalf("want one warning at the source, got %+v", diags)
	}
}

func TestTemplateDiagnosticQuotesOnlyAnExcerpt(t *testing.T) {
	p := fixtures.RagIngest()
	long := strings.Repeat("x = 1\n", 500) + "print('{{secretish}}')" + strings.Repeat("\ny = 2", 500)
	p.Steps[0].Command = []string{"python3", "-c", long}
	diags := errorsIn(check(p))
	if len(diags) != 1 {
		t.Fatalf("want one error, got %+v", diags)
	}
	if len(diags[0].Detail) > 600 || !strings.Contains(diags[0].Detail, "{{secretish}}") {
		t.Errorf("detail should quote a short excerpt around {{: %q", diags[0].Detail)
	}
}

func TestEveryFixturePassesCheck(t *testing.T) {
	for _, c := range fixtures.All() {
		if diags := errorsIn(check(c.Pipeline)); len(diags) > 0 {
			t.Errorf("%s: %+v", c.Name, diags)
		}
	}
}

func TestCronOptionsWithoutScheduleWarn(t *testing.T) {
	p := fixtures.RagIngest()
	p.Extensions = []*ir.Block{fixtures.Block("argo", nil, fixtures.Block("cron", fixtures.Attrs{"concurrency_policy": "Forbid"}))}
	p.Extensions[0].Blocks["cron"][0].Attrs["concurrency_policy"].Range = at(91)
	diags := check(p)
	if len(diags) != 1 || diags[0].Severity != ir.Warning || diags[0].Summary != "Cron options without a schedule" {
		t.Fatalf("want one warning, got %+v", diags)
	}
}

func TestIsLocalSource(t *testing.T) {
	for src, want := range map[string]bool{
		"./corpus": true, "corpus": true, "data/in.csv?checksum=sha256:00": true, "/abs/dir": true,
		"file::./x": true, "file:///abs/x": true, "..": true,
		"https://example.com/x": false, "git::https://example.com/r.git": false, "github.com/org/repo": false,
		"git@github.com:org/repo.git": false, "s3::https://s3.amazonaws.com/b/k": false,
	} {
		if got := isLocalSource(src); got != want {
			t.Errorf("isLocalSource(%q) = %v, want %v", src, got, want)
		}
	}
}
