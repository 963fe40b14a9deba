package argo

import (
	"math"

	"github.com/wurzel-dev/wurzel/schema"
)

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

// blockType is the keyword of the target's blocks.
const blockType = "argo"

var (
	podGCStrategies     = []string{"OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"}
	concurrencyPolicies = []string{"Allow", "Forbid", "Replace"}
	tolerationOperators = []string{"Exists", "Equal"}
	tolerationEffects   = []string{"NoSchedule", "PreferNoSchedule", "NoExecute"}
)

// Extensions are the blocks the target adds to the language.
func (Target) Extensions() []schema.Extension {
	return []schema.Extension{{Parent: "pipeline", Block: pipelineBlock}}
}
