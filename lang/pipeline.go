package lang

import (
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/internal/kube"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

// pipelineBlock is the decoded pipeline block.
type pipelineBlock struct {
	decl *Decl
	body *decoded
	ir   ir.Pipeline
}

// defaultSchemes are the go-getter schemes sources may use by default.
var defaultSchemes = []string{"gcs", "git", "https", "s3"}

// decodePipelineBlock decodes `pipeline "name" { ... }`; there is exactly one
// per pipeline.
func (l *loader) decodePipelineBlock(b *hcl.Block) {
	d := newDecl(DeclPipeline, b)
	l.decls = append(l.decls, d)
	if len(l.pipelines) > 0 {
		prev := l.pipelines[0].decl
		l.errorf(&b.DefRange, "Duplicate pipeline block", "A pipeline has exactly one pipeline block; %q was already declared at %s.", prev.Name, posString(prev.DefRange))
		return
	}
	if _, ok := l.declIndex[declKey{DeclPipeline, d.Name}]; !ok {
		l.declIndex[declKey{DeclPipeline, d.Name}] = d
	}
	l.checkName(DeclPipeline, d.Name, b.LabelRanges[0])
	l.pipelines = append(l.pipelines, &pipelineBlock{decl: d, body: l.decodeBody(b, l.root.Block("pipeline"))})
}

// evaluatePipeline evaluates the pipeline block's attributes and nested
// blocks into the IR pipeline.
func (l *loader) evaluatePipeline(pb *pipelineBlock) {
	p := &pb.ir
	p.Name = pb.decl.Name
	p.Range = IRRange(pb.decl.DefRange)
	a := l.attrSet(pb.body.schema, pb.body.attrs, "")
	p.Description = a.strOr("description", "")
	p.Image = a.strOr("image", "")
	if scheds, ok := a.strList("schedule"); ok {
		p.Ranges.Schedule = a.listRanges("schedule")
		for i, s := range scheds {
			if err := schema.CheckCron(s); err != nil {
				r := HCLRange(p.Ranges.Schedule.Elem(i).Or(IRRange(pb.decl.DefRange)))
				l.errorf(&r, "Invalid cron expression", "%q is not a cron expression: %s. Use five fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily.", s, err)
				continue
			}
			p.Schedules = append(p.Schedules, s)
		}
	}
	if tz, ok := a.str("timezone"); ok {
		if err := schema.CheckTimezone(tz); err != nil {
			r := a.rangeOf("timezone", pb.decl.DefRange)
			l.errorf(&r, "Invalid time zone", "%q is not a time zone: %s. Use an IANA name such as \"Europe/Berlin\" or \"UTC\".", tz, err)
		} else {
			p.Timezone = tz
		}
		if len(p.Schedules) == 0 && !a.has("schedule") {
			r := a.rangeOf("timezone", pb.decl.DefRange)
			l.warnf(&r, "Time zone without schedule", "The timezone applies only to a schedule, and the pipeline has none.")
		}
	}
	if labels, _, ok := a.strMap("labels"); ok {
		p.Labels = labels
	}
	if env, ranges, ok := a.strMap("env"); ok {
		p.Env = map[string]string{}
		for _, k := range sortedKeys(env) {
			if l.checkEnvName(k, ranges[k]) {
				p.Env[k] = env[k]
			}
		}
	}
	p.Ranges.Env = a.mapRanges("env")
	p.Ranges.Description = a.irRange("description")
	p.Ranges.Image = a.irRange("image")
	p.Ranges.Timezone = a.irRange("timezone")
	p.Ranges.Labels = a.mapRanges("labels")
	p.Sources = ir.SourcePolicy{AllowedSchemes: append([]string(nil), defaultSchemes...)}
	if sb := pb.body.one("sources"); sb != nil {
		l.evaluateSources(sb, p)
	}
	if lb := pb.body.one("local"); lb != nil {
		body := l.decodeBody(lb, pipelineLocalSchema)
		a := l.attrSet(pipelineLocalSchema, body.attrs, "local.")
		p.Isolation, _ = a.enum("isolation")
		p.Ranges.Isolation = a.irRange("isolation")
	}
	p.Extensions = l.evaluateExtensions(pb.body)
}

// evaluateSources decodes `sources { ... }` into the pipeline's source
// policy.
func (l *loader) evaluateSources(b *hcl.Block, p *ir.Pipeline) {
	body := l.decodeBody(b, sourcesSchema)
	a := l.attrSet(sourcesSchema, body.attrs, "sources.")
	defer func() {
		p.Ranges.AllowedSchemes = a.listRanges("allowed_schemes")
		p.Ranges.AllowedHosts = a.listRanges("allowed_hosts")
		p.Ranges.SourceTimeout = a.irRange("timeout")
		p.Ranges.SourceMaxSize = a.irRange("max_size")
	}()
	if schemes, ok := a.strList("allowed_schemes"); ok {
		p.Sources.AllowedSchemes = sortedCopy(schemes)
		if p.Sources.AllowedSchemes == nil {
			p.Sources.AllowedSchemes = []string{}
		}
	}
	if hosts, ok := a.strList("allowed_hosts"); ok {
		p.Sources.AllowedHosts = sortedCopy(hosts)
	}
	if d, ok := a.duration("timeout"); ok {
		p.Sources.Timeout = d
	}
	if s, ok := a.str("max_size"); ok {
		n, valid := kube.QuantityBytes(s)
		if !valid {
			r := a.rangeOf("max_size", b.DefRange)
			l.errorf(&r, "Invalid quantity", "The value of \"max_size\", %q, is not a whole number of bytes: use a quantity such as \"500Mi\" or \"2G\".", s)
		} else {
			p.Sources.MaxBytes = n
		}
	}
}

// sortStrings sorts in place and returns s, for brevity.
func sortStrings(s []string) []string {
	sort.Strings(s)
	return s
}
