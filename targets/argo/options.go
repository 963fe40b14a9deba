package argo

import (
	"math"
	"time"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

// This file is the target's vocabulary: the blocks it adds to the language,
// and how their values are read. To add an attribute, declare its handle,
// list it in its block, add a field to options and read it in optionsOf;
// lower.go then puts it where Argo wants it.

// The `argo` block of the pipeline: what only Argo Workflows knows. Each
// attribute is declared once, as a handle; the block lists the handles'
// schemas and options.go reads the values through the same handles.
var (
	attrNamespace      = schema.NewString(schema.Attribute{Name: "namespace", Description: "Kubernetes namespace of the workflow."})
	attrServiceAccount = schema.NewString(schema.Attribute{Name: "service_account", Description: "Service account the workflow's pods run as."})
	attrPodGC          = schema.NewString(schema.Attribute{Name: "pod_gc", Allowed: podGCStrategies, Description: "Pod garbage collection strategy."})
	attrParallelism    = schema.NewInt(schema.Attribute{Name: "parallelism", Max: math.MaxInt32, Description: "Maximum number of pods running at once; no limit when unset."})
	attrNodeSelector   = schema.NewStringMap(schema.Attribute{Name: "node_selector", Description: "Node labels every pod must match."})
	attrPriorityClass  = schema.NewString(schema.Attribute{Name: "priority_class", Description: "Priority class name of every pod."})
	attrPodSpecPatch   = schema.NewString(schema.Attribute{Name: "pod_spec_patch", Description: "JSON or YAML patch Argo applies to every pod spec."})
	attrLabels         = schema.NewStringMap(schema.Attribute{Name: "labels", Description: "Labels of the workflow object."})
	attrAnnotations    = schema.NewStringMap(schema.Attribute{Name: "annotations", Description: "Annotations of the workflow object."})
	attrTemplate       = schema.NewBool(schema.Attribute{Name: "template", Default: "false", Description: "Emit a WorkflowTemplate with the whole spec and a thin Workflow or CronWorkflow that refers to it."})
	attrRunnerImage    = schema.NewString(schema.Attribute{Name: "runner_image", Description: "Image holding the wurzel binary that an init container copies into every pod; the target's default when unset."})

	attrRepoConfigMap = schema.NewString(schema.Attribute{Name: "config_map", Required: true, Description: "ConfigMap that holds the artifact repository configuration."})
	attrRepoKey       = schema.NewString(schema.Attribute{Name: "key", Required: true, Description: "Key in the ConfigMap."})
	blockArtifactRepo = schema.NewNested(schema.Block{Type: "artifact_repository_ref", Description: "Selects a non-default artifact repository.",
		Attributes: []*schema.Attribute{attrRepoConfigMap.Attribute, attrRepoKey.Attribute}})

	attrAfterCompletion = schema.NewDuration(schema.Attribute{Name: "after_completion", Description: "Keep time after the workflow finishes, whatever the outcome."})
	attrAfterSuccess    = schema.NewDuration(schema.Attribute{Name: "after_success", Description: "Keep time after the workflow succeeds."})
	attrAfterFailure    = schema.NewDuration(schema.Attribute{Name: "after_failure", Description: "Keep time after the workflow fails."})
	blockTTL            = schema.NewNested(schema.Block{Type: "ttl", Description: "How long finished workflows are kept.",
		Attributes: []*schema.Attribute{attrAfterCompletion.Attribute, attrAfterSuccess.Attribute, attrAfterFailure.Attribute}})

	attrTolKey      = schema.NewString(schema.Attribute{Name: "key", Description: "Taint key the toleration matches; empty matches all keys (with operator Exists)."})
	attrTolOperator = schema.NewString(schema.Attribute{Name: "operator", Allowed: tolerationOperators, Default: "Equal", Description: "How key and value are matched; Exists when there is no key."})
	attrTolValue    = schema.NewString(schema.Attribute{Name: "value", Description: "Taint value to match (operator Equal)."})
	attrTolEffect   = schema.NewString(schema.Attribute{Name: "effect", Allowed: tolerationEffects, Description: "Taint effect to match; empty matches all effects."})
	attrTolSeconds  = schema.NewInt(schema.Attribute{Name: "seconds", Description: "For NoExecute: how long the pod stays bound after the taint appears."})
	blockToleration = schema.NewNested(schema.Block{Type: "toleration", Repeatable: true, Description: "A Kubernetes toleration added to every pod.",
		Attributes: []*schema.Attribute{attrTolKey.Attribute, attrTolOperator.Attribute, attrTolValue.Attribute, attrTolEffect.Attribute, attrTolSeconds.Attribute}})

	attrPodRunAsUser     = schema.NewInt(schema.Attribute{Name: "run_as_user", Max: math.MaxInt32, Description: "UID the pod's processes run as."})
	attrPodRunAsGroup    = schema.NewInt(schema.Attribute{Name: "run_as_group", Max: math.MaxInt32, Description: "GID the pod's processes run as."})
	attrPodFSGroup       = schema.NewInt(schema.Attribute{Name: "fs_group", Max: math.MaxInt32, Description: "Supplementary group owning mounted volumes."})
	attrPodRunAsNonRoot  = schema.NewBool(schema.Attribute{Name: "run_as_non_root", Default: "true", Description: "Refuse to start containers running as root."})
	blockPodSecurityCtxt = schema.NewNested(schema.Block{Type: "pod_security_context", Description: "Overrides of the secure pod security defaults.",
		Attributes: []*schema.Attribute{attrPodRunAsUser.Attribute, attrPodRunAsGroup.Attribute, attrPodFSGroup.Attribute, attrPodRunAsNonRoot.Attribute}})

	attrCtrRunAsNonRoot   = schema.NewBool(schema.Attribute{Name: "run_as_non_root", Default: "true", Description: "Refuse to start the container as root."})
	attrCtrPrivEscalation = schema.NewBool(schema.Attribute{Name: "allow_privilege_escalation", Default: "false", Description: "Allow a process to gain more privileges than its parent."})
	attrCtrReadOnlyRoot   = schema.NewBool(schema.Attribute{Name: "read_only_root_filesystem", Description: "Mount the container's root filesystem read-only."})
	attrCtrRunAsUser      = schema.NewInt(schema.Attribute{Name: "run_as_user", Max: math.MaxInt32, Description: "UID the container runs as."})
	attrCtrRunAsGroup     = schema.NewInt(schema.Attribute{Name: "run_as_group", Max: math.MaxInt32, Description: "GID the container runs as."})
	blockSecurityContext  = schema.NewNested(schema.Block{Type: "security_context", Description: "Overrides of the secure container security defaults.",
		Attributes: []*schema.Attribute{attrCtrRunAsNonRoot.Attribute, attrCtrPrivEscalation.Attribute, attrCtrReadOnlyRoot.Attribute, attrCtrRunAsUser.Attribute, attrCtrRunAsGroup.Attribute}})

	attrConcurrency    = schema.NewString(schema.Attribute{Name: "concurrency_policy", Allowed: concurrencyPolicies, Description: "What to do when a scheduled run starts while another is running."})
	attrStartDeadline  = schema.NewDuration(schema.Attribute{Name: "starting_deadline", Description: "How late a missed run may still start."})
	attrSuccessHistory = schema.NewInt(schema.Attribute{Name: "successful_jobs_history_limit", Max: math.MaxInt32, Description: "Successful workflows to keep."})
	attrFailedHistory  = schema.NewInt(schema.Attribute{Name: "failed_jobs_history_limit", Max: math.MaxInt32, Description: "Failed workflows to keep."})
	blockCron          = schema.NewNested(schema.Block{Type: "cron", Description: "CronWorkflow options, used when the pipeline has a schedule.",
		Attributes: []*schema.Attribute{attrConcurrency.Attribute, attrStartDeadline.Attribute, attrSuccessHistory.Attribute, attrFailedHistory.Attribute}})

	pipelineBlock = &schema.Block{
		Type:        blockType,
		Description: "Options that only the Argo Workflows target uses.",
		Attributes: []*schema.Attribute{
			attrNamespace.Attribute, attrServiceAccount.Attribute, attrPodGC.Attribute, attrParallelism.Attribute,
			attrNodeSelector.Attribute, attrPriorityClass.Attribute, attrPodSpecPatch.Attribute, attrLabels.Attribute,
			attrAnnotations.Attribute, attrTemplate.Attribute, attrRunnerImage.Attribute,
		},
		Blocks: []*schema.Block{
			blockArtifactRepo.Block, blockTTL.Block, blockToleration.Block, blockPodSecurityCtxt.Block,
			blockSecurityContext.Block, blockCron.Block,
		},
	}
)

// The `argo` block of a step: what differs from one step's pod to the
// next. Scheduling adds to the pipeline's (node_selector, toleration), the
// rest replaces it for this pod.
var (
	attrStepNodeSelector   = schema.NewStringMap(schema.Attribute{Name: "node_selector", Description: "Node labels this step's pod must match, besides the pipeline's."})
	attrStepAnnotations    = schema.NewStringMap(schema.Attribute{Name: "annotations", Description: "Annotations of this step's pod."})
	attrStepLabels         = schema.NewStringMap(schema.Attribute{Name: "labels", Description: "Labels of this step's pod."})
	attrStepPriorityClass  = schema.NewString(schema.Attribute{Name: "priority_class", Description: "Priority class name of this step's pod; the pipeline's when unset."})
	attrStepServiceAccount = schema.NewString(schema.Attribute{Name: "service_account", Description: "Service account of this step's pod; the pipeline's when unset."})
	blockStepToleration    = schema.NewNested(schema.Block{Type: "toleration", Repeatable: true, Description: "A Kubernetes toleration of this step's pod, besides the pipeline's.",
		Attributes: []*schema.Attribute{attrTolKey.Attribute, attrTolOperator.Attribute, attrTolValue.Attribute, attrTolEffect.Attribute, attrTolSeconds.Attribute}})

	attrAffinityKey      = schema.NewString(schema.Attribute{Name: "key", Required: true, Description: "Node label the rule reads."})
	attrAffinityOperator = schema.NewString(schema.Attribute{Name: "operator", Allowed: affinityOperators, Default: "In", Description: "How the label is matched against values."})
	attrAffinityValues   = schema.NewStringList(schema.Attribute{Name: "values", Description: "Values for In and NotIn; one integer for Gt and Lt; none for Exists and DoesNotExist."})
	attrAffinityWeight   = schema.NewInt(schema.Attribute{Name: "weight", Max: 100, Description: "From 1 to 100: the rule is a preference of this weight. Unset: the rule is required."})
	blockNodeAffinity    = schema.NewNested(schema.Block{Type: "node_affinity", Repeatable: true, Description: "A node affinity rule of this step's pod: required (all required rules must hold) or, with a weight, preferred.",
		Attributes: []*schema.Attribute{attrAffinityKey.Attribute, attrAffinityOperator.Attribute, attrAffinityValues.Attribute, attrAffinityWeight.Attribute}})

	stepBlock = &schema.Block{
		Type:        blockType,
		Description: "Options of this step's pod that only the Argo Workflows target uses.",
		Attributes: []*schema.Attribute{
			attrStepNodeSelector.Attribute, attrStepAnnotations.Attribute, attrStepLabels.Attribute,
			attrStepPriorityClass.Attribute, attrStepServiceAccount.Attribute,
		},
		Blocks: []*schema.Block{blockStepToleration.Block, blockNodeAffinity.Block},
	}
)

// blockType is the keyword of the target's blocks.
const blockType = "argo"

var (
	podGCStrategies     = []string{"OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"}
	concurrencyPolicies = []string{"Allow", "Forbid", "Replace"}
	tolerationOperators = []string{"Exists", "Equal"}
	tolerationEffects   = []string{"NoSchedule", "PreferNoSchedule", "NoExecute"}
	affinityOperators   = []string{"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"}
)

// Extensions are the blocks the target adds to the language.
func (Target) Extensions() []schema.Extension {
	return []schema.Extension{{Parent: "pipeline", Block: pipelineBlock}, {Parent: "step", Block: stepBlock}}
}

// options are the values of the pipeline's `argo` block, with the ranges
// they were written at. The zero value means Argo's and wurzel's defaults.
type options struct {
	// Range is the block's header; zero when the pipeline has no argo
	// block.
	Range                 ir.Range
	Namespace             ir.Scalar[string]
	ServiceAccount        ir.Scalar[string]
	PodGC                 ir.Scalar[string]
	Parallelism           ir.Scalar[int64]
	NodeSelector          ir.Map
	PriorityClass         ir.Scalar[string]
	PodSpecPatch          ir.Scalar[string]
	Labels                ir.Map
	Annotations           ir.Map
	Template              ir.Scalar[bool]
	RunnerImage           ir.Scalar[string]
	ArtifactRepositoryRef *artifactRepositoryRef
	TTL                   ttl
	Tolerations           []toleration
	PodSecurityContext    podSecurity
	SecurityContext       containerSecurity
	Cron                  cronOptions
}

type artifactRepositoryRef struct {
	Range     ir.Range
	ConfigMap ir.Scalar[string]
	Key       ir.Scalar[string]
}

type ttl struct {
	AfterCompletion, AfterSuccess, AfterFailure ir.Scalar[time.Duration]
}

type toleration struct {
	Range    ir.Range
	Key      ir.Scalar[string]
	Operator ir.Scalar[string]
	Value    ir.Scalar[string]
	Effect   ir.Scalar[string]
	Seconds  ir.Scalar[int64]
}

// podSecurity and containerSecurity override wurzel's secure
// defaults field by field; a field that is not Set keeps the default.
type podSecurity struct {
	RunAsUser, RunAsGroup, FSGroup ir.Scalar[int64]
	RunAsNonRoot                   ir.Scalar[bool]
}

type containerSecurity struct {
	RunAsNonRoot, AllowPrivilegeEscalation, ReadOnlyRootFilesystem ir.Scalar[bool]
	RunAsUser, RunAsGroup                                          ir.Scalar[int64]
}

type cronOptions struct {
	Range                                              ir.Range
	ConcurrencyPolicy                                  ir.Scalar[string]
	StartingDeadline                                   ir.Scalar[time.Duration]
	SuccessfulJobsHistoryLimit, FailedJobsHistoryLimit ir.Scalar[int64]
}

// set reports whether any cron option is written.
func (c cronOptions) set() bool {
	return c.ConcurrencyPolicy.Set || c.StartingDeadline.Set || c.SuccessfulJobsHistoryLimit.Set || c.FailedJobsHistoryLimit.Set
}

// optionsOf reads the pipeline's argo block.
func optionsOf(p *ir.Pipeline) options {
	b := p.Extension(blockType)
	if b == nil {
		return options{}
	}
	o := options{
		Range:          b.Range,
		Namespace:      attrNamespace.Get(b),
		ServiceAccount: attrServiceAccount.Get(b),
		PodGC:          attrPodGC.Get(b),
		Parallelism:    attrParallelism.Get(b),
		NodeSelector:   attrNodeSelector.Get(b),
		PriorityClass:  attrPriorityClass.Get(b),
		PodSpecPatch:   attrPodSpecPatch.Get(b),
		Labels:         attrLabels.Get(b),
		Annotations:    attrAnnotations.Get(b),
		Template:       attrTemplate.Get(b),
		RunnerImage:    attrRunnerImage.Get(b),
	}
	if r := blockArtifactRepo.One(b); r != nil {
		o.ArtifactRepositoryRef = &artifactRepositoryRef{Range: r.Range, ConfigMap: attrRepoConfigMap.Get(r), Key: attrRepoKey.Get(r)}
	}
	if t := blockTTL.One(b); t != nil {
		o.TTL = ttl{AfterCompletion: attrAfterCompletion.Get(t), AfterSuccess: attrAfterSuccess.Get(t), AfterFailure: attrAfterFailure.Get(t)}
	}
	for _, t := range blockToleration.All(b) {
		o.Tolerations = append(o.Tolerations, tolerationOf(t))
	}
	if s := blockPodSecurityCtxt.One(b); s != nil {
		o.PodSecurityContext = podSecurity{
			RunAsUser: attrPodRunAsUser.Get(s), RunAsGroup: attrPodRunAsGroup.Get(s),
			FSGroup: attrPodFSGroup.Get(s), RunAsNonRoot: attrPodRunAsNonRoot.Get(s),
		}
	}
	if s := blockSecurityContext.One(b); s != nil {
		o.SecurityContext = containerSecurity{
			RunAsNonRoot: attrCtrRunAsNonRoot.Get(s), AllowPrivilegeEscalation: attrCtrPrivEscalation.Get(s),
			ReadOnlyRootFilesystem: attrCtrReadOnlyRoot.Get(s), RunAsUser: attrCtrRunAsUser.Get(s), RunAsGroup: attrCtrRunAsGroup.Get(s),
		}
	}
	if c := blockCron.One(b); c != nil {
		o.Cron = cronOptions{
			Range: c.Range, ConcurrencyPolicy: attrConcurrency.Get(c), StartingDeadline: attrStartDeadline.Get(c),
			SuccessfulJobsHistoryLimit: attrSuccessHistory.Get(c), FailedJobsHistoryLimit: attrFailedHistory.Get(c),
		}
	}
	return o
}

// tolerationOf reads one toleration block. Kubernetes' default operator is
// Equal, which needs a key; without a key the only meaningful operator is
// Exists, so that is the default there.
func tolerationOf(b *ir.Block) toleration {
	t := toleration{
		Range: b.Range, Key: attrTolKey.Get(b), Operator: attrTolOperator.Get(b),
		Value: attrTolValue.Get(b), Effect: attrTolEffect.Get(b), Seconds: attrTolSeconds.Get(b),
	}
	if !t.Operator.Set && t.Key.Value == "" {
		t.Operator.Value = "Exists"
	}
	return t
}

// stepOptions are the values of a step's `argo` block; the zero value when
// the step has none.
type stepOptions struct {
	Range          ir.Range
	NodeSelector   ir.Map
	Annotations    ir.Map
	Labels         ir.Map
	PriorityClass  ir.Scalar[string]
	ServiceAccount ir.Scalar[string]
	Tolerations    []toleration
	NodeAffinity   []nodeAffinity
}

type nodeAffinity struct {
	Range    ir.Range
	Key      ir.Scalar[string]
	Operator ir.Scalar[string]
	Values   ir.List
	Weight   ir.Scalar[int64]
}

// stepOptionsOf reads a step's argo block.
func stepOptionsOf(s *ir.Step) stepOptions {
	b := s.Extension(blockType)
	if b == nil {
		return stepOptions{}
	}
	o := stepOptions{
		Range: b.Range, NodeSelector: attrStepNodeSelector.Get(b), Annotations: attrStepAnnotations.Get(b), Labels: attrStepLabels.Get(b),
		PriorityClass: attrStepPriorityClass.Get(b), ServiceAccount: attrStepServiceAccount.Get(b),
	}
	for _, t := range blockStepToleration.All(b) {
		o.Tolerations = append(o.Tolerations, tolerationOf(t))
	}
	for _, a := range blockNodeAffinity.All(b) {
		o.NodeAffinity = append(o.NodeAffinity, nodeAffinity{
			Range: a.Range, Key: attrAffinityKey.Get(a), Operator: attrAffinityOperator.Get(a),
			Values: attrAffinityValues.Get(a), Weight: attrAffinityWeight.Get(a),
		})
	}
	return o
}
