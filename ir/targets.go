package ir

import "time"

// ArgoOptions are the values of the optional `argo` block inside `pipeline`:
// what only Argo Workflows knows. The zero value means "Argo's and wurzel's
// defaults".
type ArgoOptions struct {
	// Declared is true when the pipeline has an argo block.
	Declared       bool
	Namespace      string
	ServiceAccount string
	// ArtifactRepositoryRef selects a non-default artifact repository.
	ArtifactRepositoryRef *ArtifactRepositoryRef
	// PodGCStrategy is one of Argo's strategies (OnPodCompletion,
	// OnPodSuccess, OnWorkflowCompletion, OnWorkflowSuccess) or empty.
	PodGCStrategy string
	TTL           TTL
	// Parallelism limits concurrently running pods; zero for no limit.
	Parallelism   int
	NodeSelector  map[string]string
	Tolerations   []Toleration // in the order written
	PriorityClass string
	// PodSecurityContext and SecurityContext override wurzel's secure
	// defaults (runAsNonRoot, no privilege escalation, all capabilities
	// dropped, RuntimeDefault seccomp) field by field.
	PodSecurityContext PodSecurityContext
	SecurityContext    ContainerSecurityContext
	// PodSpecPatch is a JSON or YAML patch Argo applies to every pod.
	PodSpecPatch string
	Labels       map[string]string
	Annotations  map[string]string
	// Template makes the target emit a WorkflowTemplate holding the whole
	// spec plus a thin Workflow or CronWorkflow referring to it.
	Template bool
	Cron     CronOptions
	// RunnerImage holds the wurzel binary that an init container copies into
	// every pod that needs the runner. Empty means the target's default.
	RunnerImage string
	Range       Range
	Attrs       Attrs
}

// ArtifactRepositoryRef names a ConfigMap key holding an artifact repository.
type ArtifactRepositoryRef struct {
	ConfigMap string
	Key       string
}

// TTL says how long a finished workflow is kept; zero means not set.
type TTL struct {
	AfterCompletion time.Duration
	AfterSuccess    time.Duration
	AfterFailure    time.Duration
}

// Toleration is a Kubernetes toleration.
type Toleration struct {
	Key      string
	Operator string // Exists or Equal
	Value    string
	Effect   string // NoSchedule, PreferNoSchedule, NoExecute or empty
	// Seconds is nil when not set.
	Seconds *int64
}

// PodSecurityContext overrides; nil fields keep the defaults.
type PodSecurityContext struct {
	RunAsUser    *int64
	RunAsGroup   *int64
	FSGroup      *int64
	RunAsNonRoot *bool
}

// ContainerSecurityContext overrides; nil fields keep the defaults.
type ContainerSecurityContext struct {
	RunAsNonRoot             *bool
	AllowPrivilegeEscalation *bool
	ReadOnlyRootFilesystem   *bool
	RunAsUser                *int64
	RunAsGroup               *int64
}

// CronOptions apply when the pipeline has a schedule.
type CronOptions struct {
	// ConcurrencyPolicy is Allow, Forbid or Replace; empty means Argo's
	// default.
	ConcurrencyPolicy          string
	StartingDeadlineSeconds    *int64
	SuccessfulJobsHistoryLimit *int32
	FailedJobsHistoryLimit     *int32
}

// DVCOptions are the values of the optional `dvc` block inside `pipeline`.
type DVCOptions struct {
	Declared bool
	// DataDir is where step outputs live, relative to the DVC project.
	// Defaults to "data".
	DataDir string
	// Params exposes the pipeline's non-sensitive variables as DVC params
	// (params.yaml), so that `dvc repro` notices a changed value.
	Params bool
	Range  Range
	Attrs  Attrs
}
