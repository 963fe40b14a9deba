package lang

import (
	"fmt"
	"math"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/ir"
)

// evaluateArgo decodes the pipeline's `argo { ... }` block.
func (l *loader) evaluateArgo(b *hcl.Block) ir.ArgoOptions {
	body := l.decodeBody(b, argoSchema)
	o := ir.ArgoOptions{Declared: true, Range: toIRRange(b.DefRange), Attrs: ir.Attrs{}}
	a := l.attrSet(argoSchema, body.attrs, o.Attrs, "")
	o.Namespace = a.strOr("namespace", "")
	o.ServiceAccount = a.strOr("service_account", "")
	if s, ok := a.enum("pod_gc"); ok {
		o.PodGCStrategy = s
	}
	if n, ok := a.integer("parallelism", 0, math.MaxInt32); ok {
		o.Parallelism = int(n)
	}
	if m, _, ok := a.strMap("node_selector"); ok {
		o.NodeSelector = m
	}
	o.PriorityClass = a.strOr("priority_class", "")
	o.PodSpecPatch = a.strOr("pod_spec_patch", "")
	if m, _, ok := a.strMap("labels"); ok {
		o.Labels = m
	}
	if m, _, ok := a.strMap("annotations"); ok {
		o.Annotations = m
	}
	if t, ok := a.boolean("template"); ok {
		o.Template = t
	}
	o.RunnerImage = a.strOr("runner_image", "")

	if nb := body.one("artifact_repository_ref"); nb != nil {
		sch := argoSchema.Block("artifact_repository_ref")
		nd := l.decodeBody(nb, sch)
		na := l.attrSet(sch, nd.attrs, o.Attrs, "artifact_repository_ref.")
		o.ArtifactRepositoryRef = &ir.ArtifactRepositoryRef{ConfigMap: na.strOr("config_map", ""), Key: na.strOr("key", "")}
	}
	if nb := body.one("ttl"); nb != nil {
		sch := argoSchema.Block("ttl")
		nd := l.decodeBody(nb, sch)
		na := l.attrSet(sch, nd.attrs, o.Attrs, "ttl.")
		o.TTL.AfterCompletion, _ = na.duration("after_completion")
		o.TTL.AfterSuccess, _ = na.duration("after_success")
		o.TTL.AfterFailure, _ = na.duration("after_failure")
	}
	for i, tb := range body.nested["toleration"] {
		o.Tolerations = append(o.Tolerations, l.evaluateToleration(tb, o.Attrs, fmt.Sprintf("toleration[%d].", i)))
	}
	if nb := body.one("pod_security_context"); nb != nil {
		sch := argoSchema.Block("pod_security_context")
		nd := l.decodeBody(nb, sch)
		na := l.attrSet(sch, nd.attrs, o.Attrs, "pod_security_context.")
		o.PodSecurityContext = ir.PodSecurityContext{
			RunAsUser:    na.int64Ptr("run_as_user", math.MaxInt32),
			RunAsGroup:   na.int64Ptr("run_as_group", math.MaxInt32),
			FSGroup:      na.int64Ptr("fs_group", math.MaxInt32),
			RunAsNonRoot: na.boolPtr("run_as_non_root"),
		}
	}
	if nb := body.one("security_context"); nb != nil {
		sch := argoSchema.Block("security_context")
		nd := l.decodeBody(nb, sch)
		na := l.attrSet(sch, nd.attrs, o.Attrs, "security_context.")
		o.SecurityContext = ir.ContainerSecurityContext{
			RunAsNonRoot:             na.boolPtr("run_as_non_root"),
			AllowPrivilegeEscalation: na.boolPtr("allow_privilege_escalation"),
			ReadOnlyRootFilesystem:   na.boolPtr("read_only_root_filesystem"),
			RunAsUser:                na.int64Ptr("run_as_user", math.MaxInt32),
			RunAsGroup:               na.int64Ptr("run_as_group", math.MaxInt32),
		}
	}
	if nb := body.one("cron"); nb != nil {
		o.Cron = l.evaluateCron(nb, o.Attrs)
	}
	return o
}

// evaluateToleration decodes one `toleration { ... }` block.
func (l *loader) evaluateToleration(b *hcl.Block, rec ir.Attrs, prefix string) ir.Toleration {
	sch := argoSchema.Block("toleration")
	body := l.decodeBody(b, sch)
	a := l.attrSet(sch, body.attrs, rec, prefix)
	t := ir.Toleration{Key: a.strOr("key", ""), Value: a.strOr("value", "")}
	t.Operator, _ = a.enum("operator")
	t.Effect, _ = a.enum("effect")
	t.Seconds = a.int64Ptr("seconds", math.MaxInt64)
	if !a.has("operator") {
		// Kubernetes' default is Equal, which needs a key; without a key the
		// only meaningful operator is Exists.
		t.Operator = "Equal"
		if t.Key == "" {
			t.Operator = "Exists"
		}
	}
	if t.Operator == "Exists" && t.Value != "" {
		r := a.rangeOf("value", b.DefRange)
		l.errorf(&r, "Invalid toleration", "A toleration with operator \"Exists\" matches any value; remove \"value\" or use operator \"Equal\".")
	}
	if t.Key == "" && t.Operator == "Equal" && a.has("operator") {
		r := a.rangeOf("operator", b.DefRange)
		l.errorf(&r, "Invalid toleration", "A toleration without key must use operator \"Exists\".")
	}
	if t.Seconds != nil && t.Effect != "NoExecute" {
		r := a.rangeOf("seconds", b.DefRange)
		l.errorf(&r, "Invalid toleration", "\"seconds\" applies only to effect \"NoExecute\".")
	}
	return t
}

// evaluateCron decodes the argo block's `cron { ... }` block.
func (l *loader) evaluateCron(b *hcl.Block, rec ir.Attrs) ir.CronOptions {
	sch := argoSchema.Block("cron")
	body := l.decodeBody(b, sch)
	a := l.attrSet(sch, body.attrs, rec, "cron.")
	var c ir.CronOptions
	c.ConcurrencyPolicy, _ = a.enum("concurrency_policy")
	if d, ok := a.duration("starting_deadline"); ok {
		secs := int64(d.Seconds())
		c.StartingDeadlineSeconds = &secs
	}
	if n, ok := a.integer("successful_jobs_history_limit", 0, math.MaxInt32); ok {
		v := int32(n)
		c.SuccessfulJobsHistoryLimit = &v
	}
	if n, ok := a.integer("failed_jobs_history_limit", 0, math.MaxInt32); ok {
		v := int32(n)
		c.FailedJobsHistoryLimit = &v
	}
	return c
}
