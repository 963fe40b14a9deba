package argo

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"sigs.k8s.io/yaml"

	"github.com/wurzel-dev/wurzel/internal/sourceaddr"
	"github.com/wurzel-dev/wurzel/ir"
)

// Limits Argo Workflows and Kubernetes put on names.
const (
	maxObjectName       = 63 // Workflow, WorkflowTemplate, templates, volumes
	maxCronWorkflowName = 52 // Argo appends "-<unix time>" to run names
	maxLabelValue       = 63
	maxSubdomain        = 253
)

var (
	templateNameRE = regexp.MustCompile(`^[a-z0-9][-a-z0-9]*$`)
	dnsLabelRE     = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	qualifiedRE    = regexp.MustCompile(`^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`)
	secretKeyRE    = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)
	quantityRE     = regexp.MustCompile(`^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$`)
)

// reservedEnv are the variables wurzel sets on every container.
var reservedEnv = map[string]bool{envRunID: true, envStep: true, envPipeline: true, envSpec: true}

// reservedMountPrefixes are directories wurzel and Argo mount into pods.
var reservedMountPrefixes = []string{"/wurzel", "/var/run/argo", "/mainctrfs"}

const templateAdvice = "Argo Workflows replaces {{...}} in this field with its own variables and offers no way to escape it. " +
	"Keep the text out of the generated workflow: put it in a file the step reads (a file in the image, " +
	"an input, a config_map volume) or build it inside the step's program."

// checker collects diagnostics.
type checker struct {
	p     *ir.Pipeline
	diags []ir.Diagnostic
}

func (c *checker) errorf(r ir.Range, summary, detail string, args ...any) {
	c.diags = append(c.diags, ir.Errorf(r, summary, detail, args...))
}

// requiref reports what Argo needs to run the pipeline rather than a mistake
// in it (see ir.Diagnostic.Requirement).
func (c *checker) requiref(r ir.Range, summary, detail string, args ...any) {
	c.diags = append(c.diags, ir.Requiref(r, summary, detail, args...))
}

func (c *checker) warnf(r ir.Range, summary, detail string, args ...any) {
	c.diags = append(c.diags, ir.Warningf(r, summary, detail, args...))
}

func check(p *ir.Pipeline) []ir.Diagnostic {
	if p == nil {
		return nil
	}
	c := &checker{p: p}
	c.checkPipeline()
	c.checkArgo()
	for i := range p.Secrets {
		c.checkSecret(&p.Secrets[i])
	}
	for i := range p.Volumes {
		c.checkVolume(&p.Volumes[i])
	}
	for i := range p.Steps {
		c.checkStep(&p.Steps[i])
	}
	sortDiagnostics(c.diags)
	return c.diags
}

// sortDiagnostics orders diagnostics by place and text, so that the order
// never depends on map iteration.
func sortDiagnostics(diags []ir.Diagnostic) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i], diags[j]
		switch {
		case a.Subject.Filename != b.Subject.Filename:
			return a.Subject.Filename < b.Subject.Filename
		case a.Subject.Start.Byte != b.Subject.Start.Byte:
			return a.Subject.Start.Byte < b.Subject.Start.Byte
		case a.Severity != b.Severity:
			return a.Severity < b.Severity
		case a.Summary != b.Summary:
			return a.Summary < b.Summary
		}
		return a.Detail < b.Detail
	})
}

func hasTemplate(s string) bool { return strings.Contains(s, "{{") }

// noTemplate reports value when it contains "{{", which Argo would treat as
// the start of a template expression.
func (c *checker) noTemplate(value string, r ir.Range, what string) {
	if hasTemplate(value) {
		c.errorf(r, "Argo would substitute {{ in "+what, "%s contains %q. %s", capitalize(what), excerptAround(value, "{{"), templateAdvice)
	}
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// excerptAround returns a short piece of s around the first occurrence of
// sub, so that a long value (a whole program) is not repeated in full.
func excerptAround(s, sub string) string {
	i := strings.Index(s, sub)
	start, end := i-20, i+len(sub)+20
	prefix, suffix := "…", "…"
	if start <= 0 {
		start, prefix = 0, ""
	}
	if end >= len(s) {
		end, suffix = len(s), ""
	}
	for start > 0 && start < len(s) && s[start]&0xC0 == 0x80 {
		start--
	}
	for end < len(s) && s[end]&0xC0 == 0x80 {
		end++
	}
	return prefix + s[start:end] + suffix
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (c *checker) checkPipeline() {
	p := c.p
	nameRange := p.Range
	switch {
	case len(p.Schedules) > 0 && len(p.Name) > maxCronWorkflowName:
		c.errorf(nameRange, "Pipeline name too long for an Argo CronWorkflow",
			"A scheduled pipeline becomes a CronWorkflow called %q (%d characters); Argo allows at most %d, because it appends the run's time to the name. Choose a shorter pipeline name.",
			p.Name, len(p.Name), maxCronWorkflowName)
	case !p.Argo.Template && len(p.Name)+1 > maxObjectName:
		c.errorf(nameRange, "Pipeline name too long for an Argo Workflow",
			"The Workflow's generateName would be %q (%d characters); Kubernetes allows at most %d. Choose a shorter pipeline name.",
			p.Name+"-", len(p.Name)+1, maxObjectName)
	}
	if p.Argo.Template && len(p.Name) > maxObjectName {
		c.errorf(nameRange, "Pipeline name too long for an Argo WorkflowTemplate",
			"The WorkflowTemplate would be called %q (%d characters); at most %d are allowed.", p.Name, len(p.Name), maxObjectName)
	}
	if !dnsLabelRE.MatchString(p.Name) {
		c.errorf(nameRange, "Invalid Argo object name", "The pipeline name %q is not a valid Kubernetes name (lower-case letters, digits and \"-\", starting and ending with a letter or digit).", p.Name)
	}
	if len(p.Steps) == 0 {
		c.errorf(nameRange, "Pipeline has no steps", "Argo refuses a workflow whose DAG has no task; add a step.")
	}
	c.noTemplate(p.Description, p.Attrs.Get("description", p.Range), "the pipeline's description")
	c.checkLabels(p.Labels, p.Attrs, "labels", p.Range)
	for i, s := range p.Schedules {
		r := p.Attrs.Get(fmt.Sprintf("schedule[%d]", i), p.Attrs.Get("schedule", p.Range))
		if _, err := cron.ParseStandard(s); err != nil {
			c.errorf(r, "Invalid cron schedule", "Argo cannot parse the schedule %q: %v.", s, err)
		}
		c.noTemplate(s, r, "the schedule")
	}
	for i, h := range p.Sources.AllowedHosts {
		c.noTemplate(h, p.Attrs.Get(fmt.Sprintf("sources.allowed_hosts[%d]", i), p.Range), "an allowed host")
	}
	for i, sch := range p.Sources.AllowedSchemes {
		c.noTemplate(sch, p.Attrs.Get(fmt.Sprintf("sources.allowed_schemes[%d]", i), p.Range), "an allowed scheme")
	}
	if p.Timezone != "" {
		if _, err := time.LoadLocation(p.Timezone); err != nil {
			c.errorf(p.Attrs.Get("timezone", p.Range), "Invalid time zone", "Argo cannot load the time zone %q: %v.", p.Timezone, err)
		}
	}
}

// checkLabels checks Kubernetes label keys and values of the map attribute
// attr.
func (c *checker) checkLabels(labels map[string]string, attrs ir.Attrs, attr string, fallback ir.Range) {
	for _, k := range sortedKeys(labels) {
		r := attrs.Get(attr+"."+k, attrs.Get(attr, fallback))
		if !isQualifiedName(k) {
			c.errorf(r, "Invalid Kubernetes label key", "%q is not a valid label key: an optional DNS prefix and \"/\", then at most 63 letters, digits, \"-\", \"_\" or \".\", starting and ending with a letter or digit.", k)
		}
		v := labels[k]
		if strings.Contains(v, "{{") {
			c.noTemplate(v, r, "the label "+k)
		} else if len(v) > maxLabelValue || (v != "" && !qualifiedRE.MatchString(v)) {
			c.errorf(r, "Invalid Kubernetes label value", "The value %q of label %q is not valid: at most 63 letters, digits, \"-\", \"_\" or \".\", starting and ending with a letter or digit.", v, k)
		}
	}
}

// isQualifiedName reports whether s is a Kubernetes qualified name, the
// form of label and annotation keys.
func isQualifiedName(s string) bool {
	name := s
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		prefix := s[:i]
		name = s[i+1:]
		if !isDNSSubdomain(prefix) {
			return false
		}
	}
	return len(name) <= 63 && qualifiedRE.MatchString(name)
}

func isDNSSubdomain(s string) bool {
	if s == "" || len(s) > maxSubdomain {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if !dnsLabelRE.MatchString(part) {
			return false
		}
	}
	return true
}

func (c *checker) checkArgo() {
	a := &c.p.Argo
	at := func(key string) ir.Range { return a.Attrs.Get(key, a.Range) }
	if a.Namespace != "" && (len(a.Namespace) > 63 || !dnsLabelRE.MatchString(a.Namespace)) {
		c.errorf(at("namespace"), "Invalid Kubernetes namespace", "%q is not a valid namespace name: at most 63 lower-case letters, digits and \"-\", starting and ending with a letter or digit.", a.Namespace)
	}
	c.subdomain(a.ServiceAccount, at("service_account"), "service account name")
	c.subdomain(a.PriorityClass, at("priority_class"), "priority class name")
	if r := a.ArtifactRepositoryRef; r != nil {
		rr := at("artifact_repository_ref")
		c.subdomain(r.ConfigMap, a.Attrs.Get("artifact_repository_ref.config_map", rr), "ConfigMap name")
		if r.Key != "" && !secretKeyRE.MatchString(r.Key) {
			c.errorf(a.Attrs.Get("artifact_repository_ref.key", rr), "Invalid ConfigMap key", "%q is not a valid ConfigMap key (letters, digits, \"-\", \"_\" and \".\").", r.Key)
		}
	}
	switch a.PodGCStrategy {
	case "", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess":
	default:
		c.errorf(at("pod_gc"), "Invalid pod GC strategy", "%q is not one of Argo's pod GC strategies: OnPodCompletion, OnPodSuccess, OnWorkflowCompletion, OnWorkflowSuccess.", a.PodGCStrategy)
	}
	if a.Parallelism < 0 {
		c.errorf(at("parallelism"), "Invalid parallelism", "parallelism must not be negative.")
	}
	c.checkLabels(a.NodeSelector, a.Attrs, "node_selector", a.Range)
	c.checkLabels(a.Labels, a.Attrs, "labels", a.Range)
	for _, k := range sortedKeys(a.Annotations) {
		r := a.Attrs.Get("annotations."+k, at("annotations"))
		if !isQualifiedName(k) {
			c.errorf(r, "Invalid Kubernetes annotation key", "%q is not a valid annotation key: an optional DNS prefix and \"/\", then at most 63 letters, digits, \"-\", \"_\" or \".\".", k)
		}
		c.noTemplate(a.Annotations[k], r, "the annotation "+k)
	}
	for i, t := range a.Tolerations {
		c.checkToleration(t, a.Attrs.Get(fmt.Sprintf("toleration[%d].operator", i), a.Attrs.Get(fmt.Sprintf("toleration[%d].key", i), a.Range)))
	}
	if a.PodSpecPatch != "" {
		r := at("pod_spec_patch")
		c.noTemplate(a.PodSpecPatch, r, "pod_spec_patch")
		var obj map[string]any
		if err := yaml.Unmarshal([]byte(a.PodSpecPatch), &obj); err != nil || obj == nil {
			c.errorf(r, "Invalid pod_spec_patch", "pod_spec_patch must be a JSON or YAML object that Argo merges into every pod spec.")
		}
	}
	switch a.Cron.ConcurrencyPolicy {
	case "", "Allow", "Forbid", "Replace":
	default:
		c.errorf(at("cron.concurrency_policy"), "Invalid concurrency policy", "%q is not Allow, Forbid or Replace.", a.Cron.ConcurrencyPolicy)
	}
	if d := a.Cron.StartingDeadlineSeconds; d != nil && *d < 0 {
		c.errorf(at("cron.starting_deadline"), "Invalid starting deadline", "The starting deadline must not be negative.")
	}
	c.noTemplate(a.RunnerImage, at("runner_image"), "the runner image")
	if len(c.p.Schedules) == 0 && a.Cron != (ir.CronOptions{}) {
		c.warnf(a.Attrs.Get("cron.concurrency_policy", at("cron")), "Cron options without a schedule", "The pipeline has no schedule, so the cron options are ignored.")
	}
}

func (c *checker) checkToleration(t ir.Toleration, r ir.Range) {
	switch t.Operator {
	case "", "Exists", "Equal":
	default:
		c.errorf(r, "Invalid toleration operator", "%q is not Exists or Equal.", t.Operator)
	}
	if t.Operator == "Exists" && t.Value != "" {
		c.errorf(r, "Invalid toleration", "A toleration with operator Exists must not have a value.")
	}
	switch t.Effect {
	case "", "NoSchedule", "PreferNoSchedule", "NoExecute":
	default:
		c.errorf(r, "Invalid toleration effect", "%q is not NoSchedule, PreferNoSchedule or NoExecute.", t.Effect)
	}
	if t.Seconds != nil && t.Effect != "NoExecute" {
		c.errorf(r, "Invalid toleration", "Toleration seconds apply only to the NoExecute effect.")
	}
	if t.Key != "" && !isQualifiedName(t.Key) {
		c.errorf(r, "Invalid toleration key", "%q is not a valid label key.", t.Key)
	}
	if t.Key == "" && t.Operator != "Exists" {
		c.errorf(r, "Invalid toleration", "A toleration without a key must use operator Exists.")
	}
}

// subdomain checks an optional Kubernetes object name.
func (c *checker) subdomain(value string, r ir.Range, what string) {
	if value != "" && !isDNSSubdomain(value) {
		c.errorf(r, "Invalid Kubernetes "+what, "%q is not a valid %s: lower-case letters, digits, \"-\" and \".\", at most 253 characters.", value, what)
	}
}

func (c *checker) checkSecret(sec *ir.Secret) {
	var users []string
	for i := range c.p.Steps {
		for _, name := range c.p.Steps[i].Secrets {
			if name == sec.Name {
				users = append(users, c.p.Steps[i].Name)
			}
		}
	}
	if len(users) == 0 {
		return
	}
	if sec.Kubernetes == nil {
		c.requiref(sec.Range, "Secret has no Kubernetes source",
			"The secret %q is used by %s, but has no kubernetes block naming the Kubernetes Secret that holds its keys; Argo pods can only mount it from one. Add kubernetes { name = \"...\" }.",
			sec.Name, stepList(users))
	} else {
		c.subdomain(sec.Kubernetes.Name, sec.Attrs.Get("kubernetes.name", sec.Range), "Secret name")
	}
	if n := secretVolumeName(sec.Name); len(n) > maxObjectName {
		c.errorf(sec.Range, "Secret name too long for Argo", "The secret's pod volume would be called %q (%d characters); Kubernetes allows at most %d. Choose a shorter secret name.", n, len(n), maxObjectName)
	}
	for i, k := range sec.Keys {
		if !secretKeyRE.MatchString(k) || k == "." || k == ".." || len(k) > maxSubdomain {
			c.errorf(sec.Attrs.Get(fmt.Sprintf("keys[%d]", i), sec.Range), "Invalid Kubernetes Secret key", "%q is not a valid key of a Kubernetes Secret (letters, digits, \"-\", \"_\" and \".\").", k)
		}
	}
	for _, k := range sortedKeys(sec.ExportEnv) {
		c.noTemplate(sec.ExportEnv[k], sec.Attrs.Get("export_env."+k, sec.Range), "the exported variable of key "+k)
	}
	c.mountPath(secretMountPath(sec), sec.Attrs.Get("mount_path", sec.Range), "secret "+sec.Name)
}

func stepList(names []string) string {
	if len(names) == 1 {
		return "step " + strconv.Quote(names[0])
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return "steps " + strings.Join(quoted, ", ")
}

func (c *checker) checkVolume(v *ir.Volume) {
	at := func(key string) ir.Range { return v.Attrs.Get(key, v.Range) }
	if n := userVolumeName(v.Name); len(n) > maxObjectName {
		c.errorf(v.Range, "Volume name too long for Argo", "The volume's pod volume would be called %q (%d characters); Kubernetes allows at most %d. Choose a shorter volume name.", n, len(n), maxObjectName)
	}
	switch v.Type {
	case ir.PersistentVolumeClaim:
		c.subdomain(v.ClaimName, at("claim_name"), "claim name")
	case ir.ConfigMap:
		c.subdomain(v.ConfigMapName, at("config_map_name"), "ConfigMap name")
	case ir.EmptyDir:
		c.quantity(v.SizeLimit, at("size_limit"), "size_limit")
	case ir.ClaimTemplate:
		c.quantity(v.Size, at("size"), "size")
		c.subdomain(v.StorageClass, at("storage_class"), "storage class name")
		for i, m := range v.AccessModes {
			switch m {
			case "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod":
			default:
				c.errorf(v.Attrs.Get(fmt.Sprintf("access_modes[%d]", i), at("access_modes")), "Invalid access mode", "%q is not a Kubernetes access mode (ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod).", m)
			}
		}
	}
	c.mountPath(v.MountPath, at("mount_path"), "volume "+v.Name)
}

func (c *checker) quantity(q string, r ir.Range, what string) {
	if q != "" && !quantityRE.MatchString(q) {
		c.errorf(r, "Invalid Kubernetes quantity", "%s %q is not a Kubernetes quantity such as \"500m\", \"2Gi\" or \"1\".", what, q)
	}
}

// mountPath checks a path where something is mounted into the container.
func (c *checker) mountPath(p string, r ir.Range, what string) {
	c.noTemplate(p, r, "the mount path of "+what)
	if !path.IsAbs(p) || strings.Contains(p, ":") {
		c.errorf(r, "Invalid mount path", "The mount path %q of %s must be an absolute path without \":\".", p, what)
		return
	}
	clean := path.Clean(p)
	for _, reserved := range reservedMountPrefixes {
		switch {
		case clean == reserved || strings.HasPrefix(clean, reserved+"/"):
			c.errorf(r, "Reserved mount path", "The mount path %q of %s is inside %s, which the Argo target uses itself. Choose another path.", p, what, reserved)
			return
		case strings.HasPrefix(reserved, strings.TrimSuffix(clean, "/")+"/"):
			c.errorf(r, "Reserved mount path", "The mount path %q of %s would hide %s, which the Argo target uses itself. Choose another path.", p, what, reserved)
			return
		}
	}
}

func (c *checker) checkStep(s *ir.Step) {
	at := func(key string) ir.Range { return s.Attrs.Get(key, s.Range) }
	if len(s.Name) > maxObjectName || !templateNameRE.MatchString(s.Name) {
		c.errorf(s.Range, "Invalid Argo template name", "The step name %q cannot name an Argo template: at most %d lower-case letters, digits and \"-\", starting with a letter or digit.", s.Name, maxObjectName)
	}
	if s.Name == entrypointName {
		c.errorf(s.Range, "Step name reserved by the Argo target", "The workflow's DAG template is called %q, so no step may be. Rename the step.", entrypointName)
	}
	if s.Image == "" {
		c.requiref(s.Range, "Step has no image", "Step %q runs in a container on Argo and needs an image: set image in the step, or a default image in the pipeline block.", s.Name)
	}
	c.noTemplate(s.Image, at("image"), "the image")
	c.noTemplate(s.Description, at("description"), "the step's description")
	// The ranges and names below are built only for a value that holds
	// "{{": these loops run for every string of every step.
	for i, arg := range s.Command {
		if hasTemplate(arg) {
			c.noTemplate(arg, s.Attrs.Get(fmt.Sprintf("command[%d]", i), at("command")), fmt.Sprintf("command element %d", i))
		}
	}
	for k, v := range s.Env {
		if reservedEnv[k] {
			c.errorf(s.Attrs.Get("env."+k, at("env")), "Reserved environment variable", "%s is set by wurzel on every Argo step; choose another name.", k)
		}
		if hasTemplate(k) || hasTemplate(v) {
			r := s.Attrs.Get("env."+k, at("env"))
			c.noTemplate(k, r, "the name of env "+k)
			c.noTemplate(v, r, "env "+k)
		}
	}
	for _, st := range s.Settings {
		if hasTemplate(st.Key) || hasTemplate(st.Value) {
			r := s.Attrs.Get("settings."+st.Key, at("settings"))
			c.noTemplate(st.Key, r, "the name of setting "+st.Key)
			c.noTemplate(st.Value, r, "setting "+st.Key)
		}
	}
	for i := range s.Inputs {
		in := &s.Inputs[i]
		if hasTemplate(in.Path) || hasTemplate(in.Source) || hasTemplate(in.Type) {
			c.noTemplate(in.Path, in.Attrs.Get("path", in.Range), "the path of input "+in.Name)
			c.noTemplate(in.Source, in.Attrs.Get("source", in.Range), "the source of input "+in.Name)
			c.noTemplate(in.Type, in.Attrs.Get("type", in.Range), "the type of input "+in.Name)
		}
		if in.Source != "" && isLocalSource(in.Source) {
			c.warnf(in.Attrs.Get("source", in.Range), "Local source in an Argo pod",
				"Input %q of step %q reads %q from the machine's file system. Inside an Argo pod the pipeline directory does not exist, so the download will fail there; use a remote address (git::https://..., s3::https://..., https://...) for pipelines that run on Argo.",
				in.Name, s.Name, in.Source)
		}
	}
	for i := range s.Outputs {
		o := &s.Outputs[i]
		if hasTemplate(o.Path) || hasTemplate(o.Type) {
			c.noTemplate(o.Path, o.Attrs.Get("path", o.Range), "the path of output "+o.Name)
			c.noTemplate(o.Type, o.Attrs.Get("type", o.Range), "the type of output "+o.Name)
		}
	}
	c.quantity(s.Resources.CPU, at("resources.cpu"), "cpu")
	c.quantity(s.Resources.Memory, at("resources.memory"), "memory")
	c.quantity(s.Resources.EphemeralStorage, at("resources.ephemeral_storage"), "ephemeral_storage")
	if s.Resources.GPU < 0 {
		c.errorf(at("resources.gpu"), "Invalid GPU count", "gpu must not be negative.")
	}
	if s.Retry != nil && s.Retry.Attempts < 0 {
		c.errorf(at("retry.attempts"), "Invalid retry attempts", "attempts must not be negative.")
	}
	if s.Timeout < 0 || (s.Timeout > 0 && s.Timeout < time.Second) {
		c.errorf(at("timeout"), "Timeout too short for Argo", "Argo's activeDeadlineSeconds counts whole seconds; use a timeout of at least 1s.")
	}
	c.checkMounts(s)
}

// checkMounts reports two mounts of one step at the same path, which
// Kubernetes refuses.
func (c *checker) checkMounts(s *ir.Step) {
	seen := map[string]string{}
	add := func(p, what string) {
		clean := path.Clean(p)
		if prev, ok := seen[clean]; ok {
			c.errorf(s.Attrs.Get("volumes", s.Range), "Two mounts at one path", "Step %q mounts %s and %s both at %q; Kubernetes refuses that.", s.Name, prev, what, clean)
			return
		}
		seen[clean] = what
	}
	for _, name := range s.Secrets {
		if sec := c.p.Secret(name); sec != nil {
			add(secretMountPath(sec), "secret "+strconv.Quote(name))
		}
	}
	for _, name := range s.Volumes {
		if v := c.p.Volume(name); v != nil {
			add(v.MountPath, "volume "+strconv.Quote(name))
		}
	}
}

// isLocalSource reports whether go-getter reads a source address from the
// local file system: a path (also a bare one like "corpus"), file:: or
// file://. Where the path leads does not matter here, only that it is local.
func isLocalSource(src string) bool {
	addr, err := sourceaddr.Parse(src, string(filepath.Separator))
	return err == nil && addr.Local
}
