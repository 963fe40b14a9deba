package argo

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/wurzel-dev/wurzel/internal/kube"
	"github.com/wurzel-dev/wurzel/internal/lazyre"
	"github.com/wurzel-dev/wurzel/internal/sourceaddr"
	"github.com/wurzel-dev/wurzel/ir"
)

// Limits Argo Workflows puts on names, beyond Kubernetes' own (package
// kube).
const (
	maxObjectName       = kube.MaxLabel // Workflow, WorkflowTemplate, templates, volumes
	maxCronWorkflowName = 52            // Argo appends "-<unix time>" to run names
)

// templateNameRE is Argo's rule for template names.
var templateNameRE = lazyre.New(`^[a-z0-9][-a-z0-9]*$`)

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
	o     options
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
	c := &checker{p: p, o: optionsOf(p)}
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
	return c.diags
}

func hasTemplate(s string) bool { return strings.Contains(s, "{{") }

// noTemplate reports value when it contains "{{", which Argo would treat as
// the start of a template expression. Only Argo needs it refused, so it is
// a requirement (see ir.Diagnostic.Requirement): a warning when no target
// is chosen.
func (c *checker) noTemplate(value string, r ir.Range, what string) {
	if hasTemplate(value) {
		c.requiref(r, "Argo would substitute {{ in "+what, "%s contains %q. %s", capitalize(what), excerptAround(value, "{{"), templateAdvice)
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
	template := c.o.Template.Value
	switch {
	case len(p.Schedules) > 0 && len(p.Name) > maxCronWorkflowName:
		c.errorf(nameRange, "Pipeline name too long for an Argo CronWorkflow",
			"A scheduled pipeline becomes a CronWorkflow called %q (%d characters); Argo allows at most %d, because it appends the run's time to the name. Choose a shorter pipeline name.",
			p.Name, len(p.Name), maxCronWorkflowName)
	case !template && len(p.Name)+1 > maxObjectName:
		c.errorf(nameRange, "Pipeline name too long for an Argo Workflow",
			"The Workflow's generateName would be %q (%d characters); Kubernetes allows at most %d. Choose a shorter pipeline name.",
			p.Name+"-", len(p.Name)+1, maxObjectName)
	}
	if template && len(p.Name) > maxObjectName {
		c.errorf(nameRange, "Pipeline name too long for an Argo WorkflowTemplate",
			"The WorkflowTemplate would be called %q (%d characters); at most %d are allowed.", p.Name, len(p.Name), maxObjectName)
	}
	if !kube.IsDNSLabel(p.Name) {
		c.errorf(nameRange, "Invalid Argo object name", "The pipeline name %q is not a valid Kubernetes name (lower-case letters, digits and \"-\", starting and ending with a letter or digit).", p.Name)
	}
	if len(p.Steps) == 0 {
		c.errorf(nameRange, "Pipeline has no steps", "Argo refuses a workflow whose DAG has no task; add a step.")
	}
	c.noTemplate(p.Description, p.Ranges.Description.Or(p.Range), "the pipeline's description")
	c.checkLabels(p.Labels, p.Ranges.Labels, p.Range)
	for i, s := range p.Schedules {
		c.noTemplate(s, p.Ranges.Schedule.Elem(i).Or(p.Range), "the schedule")
	}
	for i, h := range p.Sources.AllowedHosts {
		c.noTemplate(h, p.Ranges.AllowedHosts.Elem(i).Or(p.Range), "an allowed host")
	}
	for i, sch := range p.Sources.AllowedSchemes {
		c.noTemplate(sch, p.Ranges.AllowedSchemes.Elem(i).Or(p.Range), "an allowed scheme")
	}
}

// checkLabels checks Kubernetes label keys and values.
func (c *checker) checkLabels(labels map[string]string, ranges ir.MapRanges, fallback ir.Range) {
	for _, k := range sortedKeys(labels) {
		r := ranges.Key(k).Or(fallback)
		if !kube.IsQualifiedName(k) {
			c.errorf(r, "Invalid Kubernetes label key", "%q is not a valid label key: an optional DNS prefix and \"/\", then at most 63 letters, digits, \"-\", \"_\" or \".\", starting and ending with a letter or digit.", k)
		}
		v := labels[k]
		if hasTemplate(v) {
			c.noTemplate(v, r, "the label "+k)
		} else if !kube.IsLabelValue(v) {
			c.errorf(r, "Invalid Kubernetes label value", "The value %q of label %q is not valid: at most 63 letters, digits, \"-\", \"_\" or \".\", starting and ending with a letter or digit.", v, k)
		}
	}
}

// checkArgo checks the argo block. Its enums, integer bounds and durations
// were checked against its schema by the front end; what is left are
// Kubernetes' rules and the rules that relate attributes.
func (c *checker) checkArgo() {
	a := &c.o
	at := func(s ir.Scalar[string]) ir.Range { return s.Range.Or(a.Range) }
	if a.Namespace.Value != "" && !kube.IsDNSLabel(a.Namespace.Value) {
		c.errorf(at(a.Namespace), "Invalid Kubernetes namespace", "%q is not a valid namespace name: at most 63 lower-case letters, digits and \"-\", starting and ending with a letter or digit.", a.Namespace.Value)
	}
	c.subdomain(a.ServiceAccount.Value, at(a.ServiceAccount), "service account name")
	c.subdomain(a.PriorityClass.Value, at(a.PriorityClass), "priority class name")
	if r := a.ArtifactRepositoryRef; r != nil {
		c.subdomain(r.ConfigMap.Value, r.ConfigMap.Range.Or(r.Range), "ConfigMap name")
		if r.Key.Value != "" && !kube.IsConfigKey(r.Key.Value) {
			c.errorf(r.Key.Range.Or(r.Range), "Invalid ConfigMap key", "%q is not a valid ConfigMap key (letters, digits, \"-\", \"_\" and \".\").", r.Key.Value)
		}
	}
	c.checkLabels(a.NodeSelector.Value, a.NodeSelector.Ranges, a.Range)
	c.checkLabels(a.Labels.Value, a.Labels.Ranges, a.Range)
	c.checkAnnotations(a.Annotations)
	for _, t := range a.Tolerations {
		c.checkToleration(t)
	}
	if patch := a.PodSpecPatch.Value; patch != "" {
		r := at(a.PodSpecPatch)
		c.noTemplate(patch, r, "pod_spec_patch")
		var obj map[string]any
		if err := yaml.Unmarshal([]byte(patch), &obj); err != nil || obj == nil {
			c.errorf(r, "Invalid pod_spec_patch", "pod_spec_patch must be a JSON or YAML object that Argo merges into every pod spec.")
		}
	}
	c.noTemplate(a.RunnerImage.Value, at(a.RunnerImage), "the runner image")
	c.checkIdentity()
	if len(c.p.Schedules) == 0 && a.Cron.set() {
		c.warnf(a.Cron.ConcurrencyPolicy.Range.Or(a.Cron.Range), "Cron options without a schedule", "The pipeline has no schedule, so the cron options are ignored.")
	}
}

// checkAnnotations checks Kubernetes annotation keys, and values for "{{".
func (c *checker) checkAnnotations(annotations ir.Map) {
	for _, k := range sortedKeys(annotations.Value) {
		r := annotations.Ranges.Key(k).Or(annotations.Ranges.Range)
		if !kube.IsQualifiedName(k) {
			c.errorf(r, "Invalid Kubernetes annotation key", "%q is not a valid annotation key: an optional DNS prefix and \"/\", then at most 63 letters, digits, \"-\", \"_\" or \".\".", k)
		}
		c.noTemplate(annotations.Value[k], r, "the annotation "+k)
	}
}

// checkToleration checks the rules that relate a toleration's fields.
func (c *checker) checkToleration(t toleration) {
	at := func(s ir.Scalar[string]) ir.Range { return s.Range.Or(t.Range) }
	switch {
	case t.Operator.Value == "Exists" && t.Value.Value != "":
		c.errorf(at(t.Value), "Invalid toleration", "A toleration with operator \"Exists\" matches any value; remove \"value\" or use operator \"Equal\".")
	case t.Key.Value == "" && t.Operator.Value == "Equal":
		c.errorf(at(t.Operator), "Invalid toleration", "A toleration without key must use operator \"Exists\".")
	}
	if t.Seconds.Set && t.Effect.Value != "NoExecute" {
		c.errorf(t.Seconds.Range, "Invalid toleration", "\"seconds\" applies only to effect \"NoExecute\".")
	}
	if t.Key.Value != "" && !kube.IsQualifiedName(t.Key.Value) {
		c.errorf(at(t.Key), "Invalid toleration key", "%q is not a valid label key.", t.Key.Value)
	}
}

// subdomain checks an optional Kubernetes object name.
func (c *checker) subdomain(value string, r ir.Range, what string) {
	if value != "" && !kube.IsDNSSubdomain(value) {
		c.errorf(r, "Invalid Kubernetes "+what, "%q is not a valid %s: lower-case letters, digits, \"-\" and \".\", at most 253 characters.", value, what)
	}
}

func (c *checker) checkSecret(sec *ir.Secret) {
	var users []string
	for i := range c.p.Steps {
		for _, name := range c.p.Steps[i].Secrets {
			// The instances of a step count once.
			if block := c.p.Steps[i].BlockName(); name == sec.Name && (len(users) == 0 || users[len(users)-1] != block) {
				users = append(users, block)
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
		c.subdomain(sec.Kubernetes.Name, sec.Ranges.KubernetesName.Or(sec.Range), "Secret name")
	}
	if n := secretVolumeName(sec.Name); len(n) > maxObjectName {
		c.errorf(sec.Range, "Secret name too long for Argo", "The secret's pod volume would be called %q (%d characters); Kubernetes allows at most %d. Choose a shorter secret name.", n, len(n), maxObjectName)
	}
	for i, k := range sec.Keys {
		if !kube.IsConfigKey(k) {
			c.errorf(sec.Ranges.Keys.Elem(i).Or(sec.Range), "Invalid Kubernetes Secret key", "%q is not a valid key of a Kubernetes Secret (letters, digits, \"-\", \"_\" and \".\").", k)
		}
	}
	for _, k := range sortedKeys(sec.ExportEnv) {
		c.noTemplate(sec.ExportEnv[k], sec.Ranges.ExportEnv.Key(k).Or(sec.Range), "the exported variable of key "+k)
	}
	c.mountPath(sec.MountPath, sec.Ranges.MountPath.Or(sec.Range), "secret "+sec.Name)
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
	at := func(r ir.Range) ir.Range { return r.Or(v.Range) }
	if n := userVolumeName(v.Name); len(n) > maxObjectName {
		c.errorf(v.Range, "Volume name too long for Argo", "The volume's pod volume would be called %q (%d characters); Kubernetes allows at most %d. Choose a shorter volume name.", n, len(n), maxObjectName)
	}
	switch v.Type {
	case ir.PersistentVolumeClaim:
		c.subdomain(v.ClaimName, at(v.Ranges.ClaimName), "claim name")
	case ir.ConfigMap:
		c.subdomain(v.ConfigMapName, at(v.Ranges.ConfigMapName), "ConfigMap name")
	case ir.EmptyDir:
		c.quantity(v.SizeLimit, at(v.Ranges.SizeLimit), "size_limit")
	case ir.ClaimTemplate:
		c.quantity(v.Size, at(v.Ranges.Size), "size")
		c.subdomain(v.StorageClass, at(v.Ranges.StorageClass), "storage class name")
	}
	c.mountPath(v.MountPath, at(v.Ranges.MountPath), "volume "+v.Name)
}

// limit checks a resource limit against its request: Kubernetes refuses a
// pod whose request is above its limit.
func (c *checker) limit(request, limit string, r ir.Range, what string) {
	c.quantity(limit, r, what+"_limit")
	if request == "" || limit == "" {
		return
	}
	if cmp, ok := kube.CompareQuantities(request, limit); ok && cmp > 0 {
		c.errorf(r, "Limit below request", "%s_limit %q is less than %s %q; Kubernetes refuses a pod that requests more than its limit.", what, limit, what, request)
	}
}

// quantity checks a quantity of an IR that did not come through the front
// end (which refuses bad quantities itself).
func (c *checker) quantity(q string, r ir.Range, what string) {
	if q != "" && !kube.IsQuantity(q) {
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
	at := func(r ir.Range) ir.Range { return r.Or(s.Range) }
	// An instance's task is named after it, its template after its step;
	// messages about the step block name the block, so that they are
	// reported once for all its instances.
	block := s.BlockName()
	if len(s.Name) > maxObjectName || !templateNameRE.MatchString(s.Name) {
		c.errorf(s.Range, "Invalid Argo template name", "The step name %q cannot name an Argo template: at most %d lower-case letters, digits and \"-\", starting with a letter or digit.", s.Name, maxObjectName)
	}
	if s.Name == entrypointName || block == entrypointName {
		c.errorf(s.Range, "Step name reserved by the Argo target", "The workflow's DAG template is called %q, so no step may be. Rename the step.", entrypointName)
	}
	if s.Image == "" {
		c.requiref(s.Range, "Step has no image", "Step %q runs in a container on Argo and needs an image: set image in the step, or a default image in the pipeline block.", block)
	}
	c.noTemplate(s.Image, at(s.Ranges.Image), "the image")
	c.noTemplate(s.Description, at(s.Ranges.Description), "the step's description")
	c.checkStepOptions(s)
	// The ranges and names below are built only for a value that holds
	// "{{": these loops run for every string of every step.
	for i, arg := range s.Command {
		if hasTemplate(arg) {
			c.noTemplate(arg, at(s.Ranges.Command.Elem(i)), fmt.Sprintf("command element %d", i))
		}
	}
	for k, v := range s.Env {
		if reservedEnv[k] {
			c.errorf(at(s.Ranges.Env.Key(k)), "Reserved environment variable", "%s is set by wurzel on every Argo step; choose another name.", k)
		}
		if hasTemplate(k) || hasTemplate(v) {
			r := at(s.Ranges.Env.Key(k))
			c.noTemplate(k, r, "the name of env "+k)
			c.noTemplate(v, r, "env "+k)
		}
	}
	for _, st := range s.Settings {
		if hasTemplate(st.Key) || hasTemplate(st.Value) {
			r := at(s.Ranges.Settings.Key(st.Key))
			c.noTemplate(st.Key, r, "the name of setting "+st.Key)
			c.noTemplate(st.Value, r, "setting "+st.Key)
		}
	}
	for i := range s.Inputs {
		in := &s.Inputs[i]
		if hasTemplate(in.Path) || hasTemplate(in.Source) || hasTemplate(in.Type) {
			c.noTemplate(in.Path, in.Ranges.Path.Or(in.Range), "the path of input "+in.Name)
			c.noTemplate(in.Source, in.Ranges.Source.Or(in.Range), "the source of input "+in.Name)
			c.noTemplate(in.Type, in.Ranges.Type.Or(in.Range), "the type of input "+in.Name)
		}
		if in.Source != "" && isLocalSource(in.Source) {
			c.warnf(in.Ranges.Source.Or(in.Range), "Local source in an Argo pod",
				"Input %q of step %q reads %q from the machine's file system. Inside an Argo pod the pipeline directory does not exist, so the download will fail there; use a remote address (git::https://..., s3::https://..., https://...) for pipelines that run on Argo.",
				in.Name, block, in.Source)
		}
	}
	for i := range s.Outputs {
		o := &s.Outputs[i]
		if hasTemplate(o.Path) || hasTemplate(o.Type) {
			c.noTemplate(o.Path, o.Ranges.Path.Or(o.Range), "the path of output "+o.Name)
			c.noTemplate(o.Type, o.Ranges.Type.Or(o.Range), "the type of output "+o.Name)
		}
	}
	c.quantity(s.Resources.CPU, at(s.Ranges.CPU), "cpu")
	c.quantity(s.Resources.Memory, at(s.Ranges.Memory), "memory")
	c.quantity(s.Resources.EphemeralStorage, at(s.Ranges.EphemeralStorage), "ephemeral_storage")
	res := &s.Resources
	c.limit(res.CPU, res.CPULimit, at(s.Ranges.CPULimit), "cpu")
	c.limit(res.Memory, res.MemoryLimit, at(s.Ranges.MemoryLimit), "memory")
	c.limit(res.EphemeralStorage, res.EphemeralStorageLimit, at(s.Ranges.EphemeralStorageLimit), "ephemeral_storage")
	if s.Timeout > 0 && s.Timeout < time.Second {
		c.errorf(at(s.Ranges.Timeout), "Timeout too short for Argo", "Argo's activeDeadlineSeconds counts whole seconds; use a timeout of at least 1s.")
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
			c.errorf(s.Ranges.Volumes.Range.Or(s.Range), "Two mounts at one path", "Step %q mounts %s and %s both at %q; Kubernetes refuses that.", s.BlockName(), prev, what, clean)
			return
		}
		seen[clean] = what
	}
	for _, name := range s.Secrets {
		if sec := c.p.Secret(name); sec != nil {
			add(sec.MountPath, "secret "+strconv.Quote(name))
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
