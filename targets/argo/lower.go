package argo

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

const (
	apiVersion = "argoproj.io/v1alpha1"
	// defaultRunnerRepo is the runner image used when the pipeline names
	// none; the tag is the generating wurzel's version.
	defaultRunnerRepo = "ghcr.io/wurzel-dev/wurzel"
	// defaultUID is the user and group pods run as unless overridden.
	defaultUID = backend.DefaultUID

	descriptionAnnotation = "workflows.argoproj.io/description"
	pipelineLabel         = "wurzel.dev/pipeline"
)

// lower turns the pipeline into the Argo documents of one stream, in the
// order they should be applied.
func lower(p *ir.Pipeline, opts backend.GenerateOptions) ([]*mapping, error) {
	b := newBuilder()
	o := optionsOf(p)
	wfSpec, err := workflowSpec(b, p, &o, opts)
	if err != nil {
		return nil, err
	}
	scheduled := len(p.Schedules) > 0
	if !o.Template.Value {
		if scheduled {
			return []*mapping{cronWorkflow(b, p, &o, wfSpec)}, nil
		}
		return []*mapping{workflow(b, p, &o, wfSpec)}, nil
	}
	tmpl := document(b, "WorkflowTemplate", objectMeta(b, p, &o, "name", p.Name), wfSpec)
	ref := b.mapping().set("workflowTemplateRef", b.mapping().set("name", p.Name))
	if scheduled {
		return []*mapping{tmpl, cronWorkflow(b, p, &o, ref)}, nil
	}
	return []*mapping{tmpl, workflow(b, p, &o, ref)}, nil
}

func document(b *builder, kind string, meta, spec *mapping) *mapping {
	return b.mapping().
		set("apiVersion", apiVersion).
		set("kind", kind).
		set("metadata", meta).
		set("spec", spec)
}

func workflow(b *builder, p *ir.Pipeline, o *options, spec *mapping) *mapping {
	return document(b, "Workflow", objectMeta(b, p, o, "generateName", p.Name+"-"), spec)
}

func cronWorkflow(b *builder, p *ir.Pipeline, o *options, wfSpec *mapping) *mapping {
	c := o.Cron
	spec := b.mapping()
	spec.set("schedules", stringSeq(p.Schedules))
	spec.setString("timezone", p.Timezone)
	spec.setString("concurrencyPolicy", c.ConcurrencyPolicy.Value)
	if c.StartingDeadline.Set {
		spec.set("startingDeadlineSeconds", int64(c.StartingDeadline.Value.Seconds()))
	}
	if c.SuccessfulJobsHistoryLimit.Set {
		spec.set("successfulJobsHistoryLimit", int32(c.SuccessfulJobsHistoryLimit.Value))
	}
	if c.FailedJobsHistoryLimit.Set {
		spec.set("failedJobsHistoryLimit", int32(c.FailedJobsHistoryLimit.Value))
	}
	spec.set("workflowMetadata", b.mapping().set("labels", stringMap(b, objectLabels(p, o)).orNil()).orNil())
	spec.set("workflowSpec", wfSpec)
	return document(b, "CronWorkflow", objectMeta(b, p, o, "name", p.Name), spec)
}

// objectMeta is the metadata every document of the pipeline shares.
func objectMeta(b *builder, p *ir.Pipeline, o *options, nameKey, name string) *mapping {
	m := b.mapping().set(nameKey, name)
	m.setString("namespace", o.Namespace.Value)
	m.set("labels", stringMap(b, objectLabels(p, o)))
	annotations := map[string]string{}
	for k, v := range o.Annotations.Value {
		annotations[k] = v
	}
	if p.Description != "" {
		annotations[descriptionAnnotation] = p.Description
	}
	m.set("annotations", stringMap(b, annotations).orNil())
	return m
}

// objectLabels are the pipeline's labels, the argo block's labels (which win)
// and wurzel's own pipeline label.
func objectLabels(p *ir.Pipeline, o *options) map[string]string {
	labels := map[string]string{pipelineLabel: p.Name}
	for k, v := range p.Labels {
		labels[k] = v
	}
	for k, v := range o.Labels.Value {
		labels[k] = v
	}
	return labels
}

// workflowSpec is the full spec: what a Workflow, a CronWorkflow's
// workflowSpec or a WorkflowTemplate holds.
func workflowSpec(b *builder, p *ir.Pipeline, a *options, opts backend.GenerateOptions) (*mapping, error) {
	s := b.mapping().set("entrypoint", entrypointName)
	if params := workflowParameters(b, p); params != nil {
		s.set("arguments", b.mapping().set("parameters", params))
	}
	s.setString("serviceAccountName", a.ServiceAccount.Value)
	if r := a.ArtifactRepositoryRef; r != nil {
		s.set("artifactRepositoryRef", b.mapping().setString("configMap", r.ConfigMap.Value).setString("key", r.Key.Value))
	}
	if a.PodGC.Value != "" {
		s.set("podGC", b.mapping().set("strategy", a.PodGC.Value))
	}
	s.set("ttlStrategy", ttlStrategy(b, a.TTL))
	if a.Parallelism.Value > 0 {
		s.set("parallelism", int(a.Parallelism.Value))
	}
	s.set("nodeSelector", stringMap(b, a.NodeSelector.Value).orNil())
	s.set("tolerations", tolerations(b, a.Tolerations))
	s.setString("podPriorityClassName", a.PriorityClass.Value)
	id := identityOf(a)
	s.set("securityContext", podSecurityContext(b, a, id))
	s.set("podSpecPatch", executorPatch(id))
	s.set("podMetadata", b.mapping().
		set("annotations", stringMap(b, a.Annotations.Value).orNil()).
		set("labels", stringMap(b, objectLabels(p, a))))
	claims := claimTemplates(b, p)
	if claims != nil {
		s.set("volumeClaimTemplates", claims)
		s.set("volumeClaimGC", b.mapping().set("strategy", "OnWorkflowCompletion"))
	}
	s.set("volumes", podVolumes(b, p))
	shared := newStepShared(b, p, a, runnerImage(a, opts.Version))
	var stepTemplates sequence
	tasks := map[string]taskTemplate{}
	for _, block := range p.StepBlocks() {
		if block[0].Instance == nil {
			t, err := stepTemplate(b, p, block[0], shared, templateOptions{name: block[0].Name})
			if err != nil {
				return nil, err
			}
			stepTemplates = append(stepTemplates, t)
			tasks[block[0].Name] = taskTemplate{name: block[0].Name}
			continue
		}
		bt, err := instanceTemplate(b, p, block, shared)
		if err != nil {
			return nil, err
		}
		for _, t := range bt.templates {
			stepTemplates = append(stepTemplates, t)
		}
		for name, tt := range bt.tasks {
			tasks[name] = tt
		}
	}
	s.set("templates", append(sequence{dagTemplate(b, p, tasks)}, stepTemplates...))
	return s, nil
}

func ttlStrategy(b *builder, t ttl) *mapping {
	m := b.mapping()
	if t.AfterCompletion.Set {
		m.set("secondsAfterCompletion", int64(t.AfterCompletion.Value.Seconds()))
	}
	if t.AfterSuccess.Set {
		m.set("secondsAfterSuccess", int64(t.AfterSuccess.Value.Seconds()))
	}
	if t.AfterFailure.Set {
		m.set("secondsAfterFailure", int64(t.AfterFailure.Value.Seconds()))
	}
	return m.orNil()
}

func tolerations(b *builder, ts []toleration) sequence {
	if len(ts) == 0 {
		return nil
	}
	out := make(sequence, 0, len(ts))
	for _, t := range ts {
		m := b.mapping()
		m.setString("key", t.Key.Value).setString("operator", t.Operator.Value).setString("value", t.Value.Value).setString("effect", t.Effect.Value)
		if t.Seconds.Set {
			m.set("tolerationSeconds", t.Seconds.Value)
		}
		out = append(out, m)
	}
	return out
}

// or is the value written, else wurzel's default.
func or[T any](v ir.Scalar[T], def T) T {
	if v.Set {
		return v.Value
	}
	return def
}

// claimTemplates are the claim_template volumes: one claim per workflow run.
func claimTemplates(b *builder, p *ir.Pipeline) sequence {
	var out sequence
	for i := range p.Volumes {
		v := &p.Volumes[i]
		if v.Type != ir.ClaimTemplate {
			continue
		}
		modes := v.AccessModes
		if len(modes) == 0 {
			modes = []string{"ReadWriteOnce"}
		}
		spec := b.mapping().set("accessModes", stringSeq(modes))
		spec.setString("storageClassName", v.StorageClass)
		spec.set("resources", b.mapping().set("requests", b.mapping().set("storage", v.Size)))
		out = append(out, b.mapping().
			set("metadata", b.mapping().set("name", userVolumeName(v.Name))).
			set("spec", spec))
	}
	return out
}

// podVolumes are the workflow-level volumes. Argo adds to each pod only the
// volumes its containers mount, so a secret reaches only the steps that use
// it.
func podVolumes(b *builder, p *ir.Pipeline) sequence {
	emptyDir := func(name string) *mapping {
		return b.mapping().set("name", name).set("emptyDir", b.mapping())
	}
	// The meta directory holds kilobytes (the spec, the manifests, the
	// variables' values), which a tmpfs keeps off the node's disk: the
	// runner's manifest is then written in memory, where creating a file
	// on the node's ext4 cost a step 0.3 to 0.7 ms (its inode allocation
	// passes over inodes freed a moment before, as a busy node's are).
	meta := b.mapping().set("name", metaVolume).set("emptyDir", b.mapping().set("medium", "Memory"))
	out := sequence{emptyDir(binVolume), meta, emptyDir(workVolume), emptyDir(homeVolume), emptyDir(tmpVolume)}
	for i := range p.Secrets {
		sec := &p.Secrets[i]
		if sec.Kubernetes == nil || !secretUsed(p, sec.Name) {
			continue
		}
		items := make(sequence, 0, len(sec.Keys))
		for _, k := range sec.Keys {
			items = append(items, b.mapping().set("key", k).set("path", k))
		}
		src := b.mapping().set("secretName", sec.Kubernetes.Name).set("defaultMode", 0o400)
		if len(items) > 0 {
			src.set("items", items)
		}
		out = append(out, b.mapping().set("name", secretVolumeName(sec.Name)).set("secret", src))
	}
	for i := range p.Volumes {
		v := &p.Volumes[i]
		m := b.mapping().set("name", userVolumeName(v.Name))
		switch v.Type {
		case ir.PersistentVolumeClaim:
			pvc := b.mapping().set("claimName", v.ClaimName)
			if v.ReadOnly {
				pvc.set("readOnly", true)
			}
			m.set("persistentVolumeClaim", pvc)
		case ir.ConfigMap:
			m.set("configMap", b.mapping().set("name", v.ConfigMapName))
		case ir.EmptyDir:
			m.set("emptyDir", b.mapping().setString("sizeLimit", v.SizeLimit))
		default:
			// Claim templates are declared in volumeClaimTemplates.
			continue
		}
		out = append(out, m)
	}
	return out
}

func secretUsed(p *ir.Pipeline, name string) bool {
	for i := range p.Steps {
		for _, s := range p.Steps[i].Secrets {
			if s == name {
				return true
			}
		}
	}
	return false
}

// dagTemplate is the entrypoint: one task per step (per instance of a step
// with for_each), in the IR's topological order, depending on the steps it
// needs. templates gives each task's template and parameters.
func dagTemplate(b *builder, p *ir.Pipeline, templates map[string]taskTemplate) *mapping {
	tasks := make(sequence, 0, len(p.Steps))
	for i := range p.Steps {
		s := &p.Steps[i]
		tt := templates[s.Name]
		t := b.mapping().set("name", s.Name).set("template", tt.name)
		if len(s.Needs) > 0 {
			t.set("depends", strings.Join(s.Needs, " && "))
		}
		var args sequence
		for j := range s.Inputs {
			in := &s.Inputs[j]
			if in.From == nil || tt.keyInputs {
				// Sources are fetched by the runner; a fan-in input's
				// template reads every instance's output itself, as does
				// a template that reads its inputs by key.
				continue
			}
			args = append(args,
				b.mapping().set("name", in.Name).
					set("from", "{{tasks."+in.From.Step+".outputs.artifacts."+in.From.Output+"}}"),
				b.mapping().set("name", in.Name+inputManifestSuffix).
					set("from", "{{tasks."+in.From.Step+".outputs.artifacts."+manifestArtifact+"}}"))
		}
		if args != nil || tt.params != nil {
			t.set("arguments", b.mapping().set("parameters", tt.params).set("artifacts", args))
		}
		tasks = append(tasks, t)
	}
	return b.mapping().set("name", entrypointName).set("dag", b.mapping().set("tasks", tasks))
}

// stepShared are the parts every step template has in common. The emitter
// never changes a node, so one node can appear in every template.
type stepShared struct {
	securityContext *mapping
	initContainers  *yaml.Node
	runIDEnv        *mapping
	pipelineEnv     *mapping
	homeEnv         *mapping
	tmpEnv          *mapping
	command         *yaml.Node
	binMount        *mapping
	metaMount       *mapping
	workMount       *mapping
	homeMount       *mapping
	tmpMount        *mapping
	// noArchive is the archive strategy of every key artifact.
	noArchive *mapping
	// paramArtifacts are the raw artifacts of the runtime variables, by
	// name, made when a step first uses one.
	paramArtifacts map[string]*mapping
	// podSpecPatch is the pipeline's pod_spec_patch, which every step's
	// template carries so that Argo applies it after wurzel's own patch.
	podSpecPatch string
	// options are the pipeline's argo block, which a step's own adds to.
	options *options
}

func newStepShared(b *builder, p *ir.Pipeline, o *options, image string) *stepShared {
	sc := containerSecurityContext(b, o.SecurityContext)
	return &stepShared{
		podSpecPatch:    o.PodSpecPatch.Value,
		options:         o,
		securityContext: sc,
		initContainers: b.node(sequence{b.mapping().
			set("name", "wurzel-runner").
			set("image", image).
			set("command", sequence{runnerImageBinary, "copy-binary", initBinDir + "/" + runnerName}).
			set("resources", b.mapping().set("requests", b.mapping().set("cpu", "10m").set("memory", "32Mi"))).
			set("securityContext", sc).
			set("volumeMounts", sequence{b.mapping().set("name", binVolume).set("mountPath", initBinDir)})}),
		runIDEnv:       envVar(b, envRunID, "{{workflow.uid}}"),
		pipelineEnv:    envVar(b, envPipeline, p.Name),
		homeEnv:        envVar(b, "HOME", homeDir),
		tmpEnv:         envVar(b, "TMPDIR", tmpDir),
		command:        b.node(sequence{runnerPath, "--spec", specPath}),
		binMount:       b.mapping().set("name", binVolume).set("mountPath", runnerBinDir).set("readOnly", true),
		metaMount:      b.mapping().set("name", metaVolume).set("mountPath", metaDir),
		workMount:      b.mapping().set("name", workVolume).set("mountPath", workDir),
		homeMount:      b.mapping().set("name", homeVolume).set("mountPath", homeDir),
		tmpMount:       b.mapping().set("name", tmpVolume).set("mountPath", tmpDir),
		noArchive:      b.mapping().set("none", b.mapping()),
		paramArtifacts: map[string]*mapping{},
	}
}

// templateOptions say how a step's template is written.
type templateOptions struct {
	// name is the template's name.
	name string
	// spec is the step spec's raw artifact, which the instances of a step
	// share; nil means the step's own.
	spec *mapping
	// keyInputs makes the template read the outputs its inputs come from at
	// their keys in the artifact repository, rather than take them from its
	// task's arguments: the instances of a step share a template, and the
	// keys are where they differ.
	keyInputs bool
}

// stepTemplate is the container template of one step: the runner, copied
// in by an init container, runs the user's command in the user's image.
func stepTemplate(b *builder, p *ir.Pipeline, s *ir.Step, shared *stepShared, o templateOptions) (*mapping, error) {
	t := b.mapping().set("name", o.name)
	so := stepOptionsOf(s)
	t.set("metadata", podMetadata(b, s, &so))
	specArt := o.spec
	if specArt == nil {
		specJSON, err := spec.Marshal(backend.StepSpec(p, s, layout{}))
		if err != nil {
			return nil, fmt.Errorf("step %s: encoding the step spec: %w", s.Name, err)
		}
		specArt = specArtifact(b, noDollar(string(specJSON)))
	}
	inputs := append(sequence{specArt}, paramArtifacts(b, s, shared)...)
	t.set("inputs", b.mapping().set("artifacts", append(inputs, inputArtifacts(b, p, s, shared, o.keyInputs)...)))
	t.set("outputs", b.mapping().set("artifacts", outputArtifacts(b, p, s, shared)))
	if s.Timeout > 0 {
		t.set("activeDeadlineSeconds", podDeadline(s.Timeout))
	}
	t.set("retryStrategy", retryStrategy(b, s.Retry))
	t.setString("podSpecPatch", shared.podSpecPatch)
	setPlacement(b, t, shared.options, &so)
	t.set("initContainers", shared.initContainers)
	env := containerEnv(b, s, shared)
	c := b.mapping().
		set("image", s.Image).
		set("command", shared.command).
		set("env", env).
		set("resources", resources(b, s.Resources).orNil()).
		set("securityContext", shared.securityContext).
		set("volumeMounts", volumeMounts(b, p, s, shared))
	t.set("container", c)
	return t, nil
}

func inputArtifacts(b *builder, p *ir.Pipeline, s *ir.Step, shared *stepShared, byKey bool) sequence {
	var out sequence
	for i := range s.Inputs {
		in := &s.Inputs[i]
		// A directory input is optional: an empty directory leaves no
		// object behind, and the runner makes it from the manifest, which
		// always travels.
		switch {
		case in.From != nil && byKey:
			producer := p.Step(in.From.Step)
			out = append(out,
				keyArtifact(b, shared, in.Name, path.Join(workDir, in.Path), outputKey(p, producer, producer.Output(in.From.Output)), producedDir(p, in.From)),
				keyArtifact(b, shared, in.Name+inputManifestSuffix, inputManifestPath(in), manifestKey(p, producer), false))
		case in.From != nil:
			data := b.mapping().set("name", in.Name).set("path", path.Join(workDir, in.Path))
			if producedDir(p, in.From) {
				data.set("optional", true)
			}
			out = append(out, data,
				b.mapping().set("name", in.Name+inputManifestSuffix).set("path", inputManifestPath(in)))
		case in.FanIn != nil:
			// Every instance publishes under one prefix, so one
			// directory artifact brings them all: <path>/<key>.
			dirs := len(in.FanIn.Instances) > 0 && producedDir(p, &ir.OutputRef{Step: in.FanIn.Instances[0].Step, Output: in.FanIn.Output})
			out = append(out,
				keyArtifact(b, shared, in.Name, path.Join(workDir, in.Path), instancesKey(p, in.FanIn.Step, in.FanIn.Output), dirs),
				keyArtifact(b, shared, in.Name+inputManifestSuffix, inputManifestDir(in), instancesKey(p, in.FanIn.Step, manifestArtifact), false))
		}
		// go-getter sources are fetched by the runner.
	}
	return out
}

// producedDir reports whether ref names a directory output.
func producedDir(p *ir.Pipeline, ref *ir.OutputRef) bool {
	if s := p.Step(ref.Step); s != nil {
		for i := range s.Outputs {
			if s.Outputs[i].Name == ref.Output {
				return s.Outputs[i].Kind == ir.OutputDir
			}
		}
	}
	return false
}

// keyArtifact is an artifact read from or written to a key of the
// workflow's artifact repository, unarchived. An optional one may be
// missing: Argo then neither fails nor places anything.
func keyArtifact(b *builder, shared *stepShared, name, filePath, key string, optional bool) *mapping {
	m := b.mapping().set("name", name).set("path", filePath)
	if optional {
		m.set("optional", true)
	}
	return m.
		set("archive", shared.noArchive).
		set("s3", b.mapping().set("key", key))
}

// outputArtifacts are the step's outputs and its manifest, each stored
// unarchived under a key of its own in the workflow's artifact repository.
func outputArtifacts(b *builder, p *ir.Pipeline, s *ir.Step, shared *stepShared) sequence {
	out := make(sequence, 0, len(s.Outputs)+1)
	for i := range s.Outputs {
		o := &s.Outputs[i]
		// Optional: a failed attempt leaves nothing at the path (the runner
		// withdraws it), and Argo must then upload nothing rather than fail
		// the pod with an error of its own. A succeeded step has every
		// output, since the runner checks them.
		out = append(out, keyArtifact(b, shared, o.Name, path.Join(workDir, o.Path), outputKey(p, s, o), true))
	}
	out = append(out, keyArtifact(b, shared, manifestArtifact, manifestPath, manifestKey(p, s), true))
	return out
}

// outputKey is the key of output o of step s, with a trailing "/" for a
// directory: S3-compatible servers refuse a payload on a key ending in "/",
// so only a directory's key has one.
func outputKey(p *ir.Pipeline, s *ir.Step, o *ir.Output) string {
	key := artifactKey(p, s, o.Name)
	if o.Kind == ir.OutputDir {
		key += "/"
	}
	return key
}

// artifactKey is where output name of step s is kept:
// <pipeline>/{{workflow.name}}/<step>/<name>, and for an instance of a step
// with for_each <pipeline>/{{workflow.name}}/<step>/<name>/<key>, so that
// the outputs of every instance share a prefix.
func artifactKey(p *ir.Pipeline, s *ir.Step, name string) string {
	if s.Instance != nil {
		return instancesKey(p, s.Instance.Of, name) + "/" + s.Instance.Key
	}
	return p.Name + "/{{workflow.name}}/" + s.Name + "/" + name
}

// manifestKey is where step s keeps its manifest: manifest.json beside its
// outputs, or for an instance the file <key> under the prefix of its
// step's manifests.
func manifestKey(p *ir.Pipeline, s *ir.Step) string {
	if s.Instance != nil {
		return artifactKey(p, s, manifestArtifact)
	}
	return artifactKey(p, s, "manifest.json")
}

// instancesKey is the prefix under which every instance of step block keeps
// output name (or, for manifestArtifact, its manifest). Output names never
// contain "_", so no output's prefix is the manifests'.
func instancesKey(p *ir.Pipeline, block, name string) string {
	return p.Name + "/{{workflow.name}}/" + block + "/" + name
}

// podDeadlineMargin is how much longer than the command's timeout a pod
// may live: the pod's deadline also counts pulling images, the init
// containers, downloading inputs and uploading outputs. Without a margin
// the pod deadline always fired first and the runner's own timeout (exit
// code 124, after SIGTERM and a grace period) never happened.
const podDeadlineMargin = 10 * time.Minute

// podDeadline is the activeDeadlineSeconds of a step whose command has the
// given timeout.
func podDeadline(timeout time.Duration) int64 {
	return int64((timeout + podDeadlineMargin + time.Second - 1) / time.Second)
}

func retryStrategy(b *builder, r *ir.Retry) *mapping {
	if r == nil {
		return nil
	}
	m := b.mapping().set("limit", r.Attempts)
	if r.Policy == ir.RetryOnTransientError {
		// Argo's OnTransientError only knows Kubernetes' transient errors,
		// not the runner's exit code for a transient failure: retry on
		// either, with an expression (Argo retries when both the policy
		// and the expression allow it).
		m.set("retryPolicy", "Always")
		m.set("expression", transientRetryExpression)
	} else if pol := retryPolicy(r.Policy); pol != "" {
		m.set("retryPolicy", pol)
	}
	if r.Backoff > 0 {
		b := b.mapping().set("duration", formatDuration(r.Backoff))
		if r.Factor > 1 {
			b.set("factor", r.Factor)
		}
		if r.MaxBackoff > 0 {
			b.set("cap", formatDuration(r.MaxBackoff))
		}
		m.set("backoff", b)
	}
	return m
}

// transientRetryExpression retries an attempt that the runner ended with
// its retryable exit code (125) or that Argo reports as an error of the
// system (an evicted pod, a lost node) rather than a failure of the command.
var transientRetryExpression = `lastRetry.exitCode == "` + strconv.Itoa(spec.CodeRetryable) + `" || lastRetry.status == "Error"`

func retryPolicy(p ir.RetryPolicy) string {
	switch p {
	case ir.RetryOnFailure:
		return "OnFailure"
	case ir.RetryOnError:
		return "OnError"
	case ir.RetryAlways:
		return "Always"
	}
	return ""
}

// formatDuration writes d the short way Argo accepts ("30s", "5m", "2h").
func formatDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Minute == 0:
		return strconv.FormatInt(int64(d/time.Minute), 10) + "m"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return d.String()
}

// resources requests what the step asked for. Memory, ephemeral storage and
// GPUs are also limits unless the step sets other limits (a pod that
// outgrows its memory request should fail on its own node rather than
// starve others); CPU is not limited unless cpu_limit says so, so a step
// can use idle cores without being throttled.
func resources(b *builder, r ir.Resources) *mapping {
	req, lim := b.mapping(), b.mapping()
	req.setString("cpu", r.CPU)
	lim.setString("cpu", r.CPULimit)
	req.setString("memory", r.Memory)
	lim.setString("memory", firstOf(r.MemoryLimit, r.Memory))
	req.setString("ephemeral-storage", r.EphemeralStorage)
	lim.setString("ephemeral-storage", firstOf(r.EphemeralStorageLimit, r.EphemeralStorage))
	if r.GPU > 0 {
		gpu := strconv.Itoa(r.GPU)
		req.set("nvidia.com/gpu", gpu)
		lim.set("nvidia.com/gpu", gpu)
	}
	return b.mapping().set("requests", req.orNil()).set("limits", lim.orNil())
}

// firstOf is the first non-empty string.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func volumeMounts(b *builder, p *ir.Pipeline, s *ir.Step, shared *stepShared) sequence {
	out := make(sequence, 3, 5+len(s.Secrets)+len(s.Volumes))
	out[0], out[1], out[2] = shared.binMount, shared.metaMount, shared.workMount
	out = append(out, scratchMounts(p, s, shared)...)
	for _, name := range s.Secrets {
		if sec := p.Secret(name); sec != nil {
			out = append(out, b.mapping().set("name", secretVolumeName(name)).set("mountPath", sec.MountPath).set("readOnly", true))
		}
	}
	for _, name := range s.Volumes {
		if v := p.Volume(name); v != nil {
			m := b.mapping().set("name", userVolumeName(name)).set("mountPath", v.MountPath)
			if v.ReadOnly {
				m.set("readOnly", true)
			}
			out = append(out, m)
		}
	}
	return out
}

// The environment variables wurzel sets on every step's container.
const (
	envRunID    = spec.EnvRunID
	envStep     = "WURZEL_STEP"
	envPipeline = "WURZEL_PIPELINE"
	// envSpec is where the runner would read a spec from its environment;
	// the Argo target delivers the spec as a file, and reserves the name
	// so that no step sets it.
	envSpec = spec.EnvSpec
)

// specArtifact delivers the step spec as a file: a raw input artifact,
// which Argo's init container writes to specPath. An environment variable
// holds at most 128 KiB on Linux, and a spec with an embedded script is
// easily larger; an artifact is bounded only by the workflow's size.
//
// Argo hands the template, raw data included, to its init container in the
// environment variable ARGO_TEMPLATE, where Kubernetes expands $(VAR) and
// turns $$ into $ (unless Argo moved a large template into a ConfigMap,
// where nothing is expanded). So the spec carries no "$" at all: JSON
// writes it as \u0024, which the runner reads back as "$" either way.
func specArtifact(b *builder, specText string) *mapping {
	return b.mapping().
		set("name", specArtifactName).
		set("path", specPath).
		set("raw", b.mapping().set("data", specText))
}

// noDollar writes every "$" of a JSON document as \u0024; "$" only
// occurs inside JSON strings, where the escape means the same.
func noDollar(json string) string { return strings.ReplaceAll(json, "$", `\u0024`) }

// containerEnv is wurzel's variables and the user's env and settings
// (sorted by name, also visible to `kubectl describe`; the runner takes them
// from the step spec). Kubernetes expands $(VAR) and collapses $$ in env
// values, so every "$" is doubled to reach the command unchanged.
func containerEnv(b *builder, s *ir.Step, shared *stepShared) sequence {
	user := backend.StepEnv(s)
	names := make([]string, 0, len(user))
	for k := range user {
		names = append(names, k)
	}
	sort.Strings(names)
	env := make(sequence, 0, len(names)+4)
	env = append(env, shared.runIDEnv, shared.pipelineEnv, envVar(b, envStep, s.Name))
	env = append(env, scratchEnv(s, shared)...)
	for _, k := range names {
		value, bound := boundEnv(s, k)
		if !bound {
			value = escapeDollar(user[k])
		}
		env = append(env, envVar(b, k, value))
	}
	return env
}

func envVar(b *builder, name, value string) *mapping {
	return b.mapping().set("name", name).set("value", value)
}

func escapeDollar(s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	return strings.ReplaceAll(s, "$", "$$")
}

func stringSeq(ss []string) sequence {
	out := make(sequence, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// stringMap is m with its keys sorted; nil for a nil map.
func stringMap(b *builder, m map[string]string) *mapping {
	if m == nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := b.mapping()
	out.node.Content = make([]*yaml.Node, 0, 2*len(keys))
	for _, k := range keys {
		out.set(k, m[k])
	}
	return out
}
