package lang

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/ir"
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
	l.pipelines = append(l.pipelines, &pipelineBlock{decl: d, body: l.decodeBody(b, pipelineSchema)})
}

// evaluatePipeline evaluates the pipeline block's attributes and nested
// blocks into the IR pipeline.
func (l *loader) evaluatePipeline(pb *pipelineBlock) {
	p := &pb.ir
	p.Name = pb.decl.Name
	p.Range = toIRRange(pb.decl.DefRange)
	p.Attrs = ir.Attrs{}
	a := l.attrSet(pipelineSchema, pb.body.attrs, p.Attrs, "")
	p.Description = a.strOr("description", "")
	p.Image = a.strOr("image", "")
	if scheds, ok := a.strList("schedule"); ok {
		for i, s := range scheds {
			if err := checkCron(s); err != nil {
				r := rangeFromAttrs(p.Attrs, fmt.Sprintf("schedule[%d]", i), a.rangeOf("schedule", pb.decl.DefRange))
				l.errorf(&r, "Invalid cron expression", "%q is not a cron expression: %s. Use five fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily.", s, err)
				continue
			}
			p.Schedules = append(p.Schedules, s)
		}
	}
	if tz, ok := a.str("timezone"); ok {
		if err := checkTimezone(tz); err != nil {
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
	p.Sources = ir.SourcePolicy{AllowedSchemes: append([]string(nil), defaultSchemes...)}
	if sb := pb.body.one("sources"); sb != nil {
		l.evaluateSources(sb, p)
	}
	if ab := pb.body.one("argo"); ab != nil {
		p.Argo = l.evaluateArgo(ab)
	}
	if db := pb.body.one("dvc"); db != nil {
		p.DVC = l.evaluateDVC(db)
	} else {
		p.DVC.DataDir = "data"
	}
}

// evaluateSources decodes `sources { ... }` into the pipeline's source
// policy.
func (l *loader) evaluateSources(b *hcl.Block, p *ir.Pipeline) {
	body := l.decodeBody(b, sourcesSchema)
	a := l.attrSet(sourcesSchema, body.attrs, p.Attrs, "sources.")
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
		n, valid := quantityBytes(s)
		if !valid {
			r := a.rangeOf("max_size", b.DefRange)
			l.errorf(&r, "Invalid quantity", "The value of \"max_size\", %q, is not a whole number of bytes: use a quantity such as \"500Mi\" or \"2G\".", s)
		} else {
			p.Sources.MaxBytes = n
		}
	}
}

// rangeFromAttrs returns the recorded range under key as an hcl.Range, or
// fallback.
func rangeFromAttrs(a ir.Attrs, key string, fallback hcl.Range) hcl.Range {
	if r, ok := a[key]; ok {
		return hcl.Range{Filename: r.Filename,
			Start: hcl.Pos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
			End:   hcl.Pos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte}}
	}
	return fallback
}

// sortStrings sorts in place and returns s, for brevity.
func sortStrings(s []string) []string {
	sort.Strings(s)
	return s
}
