package lang

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// BlockSchema describes one block type of the language: its labels, its
// attributes and the blocks nested in it. The tables below are the single
// source of truth about the language's shape: the decoders are built from
// them, and so are editor hover texts, completion and the JSON Schema.
type BlockSchema struct {
	// Type is the block type keyword ("step"); empty for the file's root body.
	Type string
	// Labels names the block's labels in order ("name"); empty when it takes
	// none.
	Labels []string
	// Description is one line of text for humans.
	Description string
	// Required means the block must appear (for top-level blocks: in the
	// pipeline's files taken together).
	Required bool
	// Repeatable means the block may appear more than once in its parent
	// (with distinct labels, when it has labels).
	Repeatable bool
	// Attributes are the block's arguments, in documentation order.
	Attributes []*AttributeSchema
	// Blocks are the nested block types, in documentation order.
	Blocks []*BlockSchema
	// ExactlyOneOf lists attributes of which exactly one must be set.
	ExactlyOneOf []string
	// AnyAttributes means the body is a set of arbitrary `name = value`
	// attributes (the `locals` block); Attributes is then empty.
	AnyAttributes bool
}

// AttributeSchema describes one attribute (argument) of a block.
type AttributeSchema struct {
	Name string
	// Type is the HCL type the value must convert to: "string", "number",
	// "bool", "list(string)", "map(string)", "map(any)", "any", or one of the
	// two reference forms "reference" (a static reference such as
	// step.a.output.b; a string holding it in JSON syntax) and
	// "list(reference)". For variable "type", the value is a type expression
	// ("type").
	Type string
	// Format narrows a string or number further: "duration" (Go syntax,
	// "90s", "2h"), "quantity" (a Kubernetes quantity, "500m", "2Gi"),
	// "cron" (5-field cron or @descriptor), "timezone" (IANA name),
	// "path" (relative, without ".."), "env" (environment variable name),
	// "integer" (a whole number); empty when there is nothing more.
	Format string
	// Required means the attribute must be set.
	Required bool
	// Description is one line of text for humans.
	Description string
	// Allowed lists the only values accepted, when the set is closed.
	Allowed []string
	// Default is the value used when the attribute is not set, as text;
	// empty when there is none.
	Default string
	// ReferenceKinds lists, for reference attributes, the kinds of object the
	// references may name: "step", "step output", "secret", "volume".
	ReferenceKinds []string
	// OnlyFor, when set, lists the values of the block's `type` attribute for
	// which this attribute applies (volume attributes); elsewhere it is an
	// error. RequiredFor lists the types for which it must be set.
	OnlyFor     []string
	RequiredFor []string
}

// Attribute returns the attribute schema called name, or nil.
func (b *BlockSchema) Attribute(name string) *AttributeSchema {
	for _, a := range b.Attributes {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Block returns the nested block schema of type typ, or nil.
func (b *BlockSchema) Block(typ string) *BlockSchema {
	for _, c := range b.Blocks {
		if c.Type == typ {
			return c
		}
	}
	return nil
}

// Lookup returns the schema of the block at path from the root, for example
// Lookup("pipeline", "argo", "cron"); nil when there is none.
func Lookup(path ...string) *BlockSchema {
	b := Schema
	for _, p := range path {
		if b = b.Block(p); b == nil {
			return nil
		}
	}
	return b
}

// Walk calls fn for every block schema below root (depth first, in table
// order) with its path of block types.
func Walk(root *BlockSchema, fn func(path []string, b *BlockSchema)) {
	var walk func(path []string, b *BlockSchema)
	walk = func(path []string, b *BlockSchema) {
		for _, c := range b.Blocks {
			p := append(append([]string(nil), path...), c.Type)
			fn(p, c)
			walk(p, c)
		}
	}
	walk(nil, root)
}

// hclSchema converts a block schema to the hcl.BodySchema used to decode its
// body. Required attributes are checked by hcl itself.
func (b *BlockSchema) hclSchema() *hcl.BodySchema {
	s := &hcl.BodySchema{}
	for _, a := range b.Attributes {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: a.Name, Required: a.Required})
	}
	for _, c := range b.Blocks {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: c.Type, LabelNames: c.Labels})
	}
	return s
}

// bodySchemas caches hclSchema per block schema; filled at init.
var bodySchemas = map[*BlockSchema]*hcl.BodySchema{}

func init() {
	bodySchemas[Schema] = Schema.hclSchema()
	Walk(Schema, func(_ []string, b *BlockSchema) { bodySchemas[b] = b.hclSchema() })
}

func str(s ...string) []string { return s }

var (
	retryPolicies    = str("on_failure", "on_error", "on_transient_error", "always")
	volumeTypes      = str("persistent_volume_claim", "config_map", "empty_dir", "claim_template")
	podGCStrategies  = str("OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")
	concurrencyPols  = str("Allow", "Forbid", "Replace")
	tolerationOps    = str("Exists", "Equal")
	tolerationEffect = str("NoSchedule", "PreferNoSchedule", "NoExecute")
	accessModes      = str("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
)

var sourcesSchema = &BlockSchema{
	Type:        "sources",
	Description: "Limits what go-getter `source` inputs may fetch.",
	Attributes: []*AttributeSchema{
		{Name: "allowed_schemes", Type: "list(string)", Default: `["gcs", "git", "https", "s3"]`, Description: "go-getter getters or URL schemes that sources may use (file, http, https, s3, gcs, git, hg)."},
		{Name: "allowed_hosts", Type: "list(string)", Description: "When set, the only hosts sources and their redirects may reach."},
		{Name: "timeout", Type: "string", Format: "duration", Description: "Bound on one download; the runner's default when unset."},
		{Name: "max_size", Type: "string", Format: "quantity", Description: "Bound on the bytes of one download (\"500Mi\", \"2G\"); no limit when unset."},
	},
}

var argoSchema = &BlockSchema{
	Type:        "argo",
	Description: "Options that only the Argo Workflows target uses.",
	Attributes: []*AttributeSchema{
		{Name: "namespace", Type: "string", Description: "Kubernetes namespace of the workflow."},
		{Name: "service_account", Type: "string", Description: "Service account the workflow's pods run as."},
		{Name: "pod_gc", Type: "string", Allowed: podGCStrategies, Description: "Pod garbage collection strategy."},
		{Name: "parallelism", Type: "number", Format: "integer", Description: "Maximum number of pods running at once; no limit when unset."},
		{Name: "node_selector", Type: "map(string)", Description: "Node labels every pod must match."},
		{Name: "priority_class", Type: "string", Description: "Priority class name of every pod."},
		{Name: "pod_spec_patch", Type: "string", Description: "JSON or YAML patch Argo applies to every pod spec."},
		{Name: "labels", Type: "map(string)", Description: "Labels of the workflow object."},
		{Name: "annotations", Type: "map(string)", Description: "Annotations of the workflow object."},
		{Name: "template", Type: "bool", Default: "false", Description: "Emit a WorkflowTemplate with the whole spec and a thin Workflow or CronWorkflow that refers to it."},
		{Name: "runner_image", Type: "string", Description: "Image holding the wurzel binary that an init container copies into every pod; the target's default when unset."},
	},
	Blocks: []*BlockSchema{
		{Type: "artifact_repository_ref", Description: "Selects a non-default artifact repository.", Attributes: []*AttributeSchema{
			{Name: "config_map", Type: "string", Required: true, Description: "ConfigMap that holds the artifact repository configuration."},
			{Name: "key", Type: "string", Required: true, Description: "Key in the ConfigMap."},
		}},
		{Type: "ttl", Description: "How long finished workflows are kept.", Attributes: []*AttributeSchema{
			{Name: "after_completion", Type: "string", Format: "duration", Description: "Keep time after the workflow finishes, whatever the outcome."},
			{Name: "after_success", Type: "string", Format: "duration", Description: "Keep time after the workflow succeeds."},
			{Name: "after_failure", Type: "string", Format: "duration", Description: "Keep time after the workflow fails."},
		}},
		{Type: "toleration", Repeatable: true, Description: "A Kubernetes toleration added to every pod.", Attributes: []*AttributeSchema{
			{Name: "key", Type: "string", Description: "Taint key the toleration matches; empty matches all keys (with operator Exists)."},
			{Name: "operator", Type: "string", Allowed: tolerationOps, Default: "Equal", Description: "How key and value are matched."},
			{Name: "value", Type: "string", Description: "Taint value to match (operator Equal)."},
			{Name: "effect", Type: "string", Allowed: tolerationEffect, Description: "Taint effect to match; empty matches all effects."},
			{Name: "seconds", Type: "number", Format: "integer", Description: "For NoExecute: how long the pod stays bound after the taint appears."},
		}},
		{Type: "pod_security_context", Description: "Overrides of the secure pod security defaults.", Attributes: []*AttributeSchema{
			{Name: "run_as_user", Type: "number", Format: "integer", Description: "UID the pod's processes run as."},
			{Name: "run_as_group", Type: "number", Format: "integer", Description: "GID the pod's processes run as."},
			{Name: "fs_group", Type: "number", Format: "integer", Description: "Supplementary group owning mounted volumes."},
			{Name: "run_as_non_root", Type: "bool", Default: "true", Description: "Refuse to start containers running as root."},
		}},
		{Type: "security_context", Description: "Overrides of the secure container security defaults.", Attributes: []*AttributeSchema{
			{Name: "run_as_non_root", Type: "bool", Default: "true", Description: "Refuse to start the container as root."},
			{Name: "allow_privilege_escalation", Type: "bool", Default: "false", Description: "Allow a process to gain more privileges than its parent."},
			{Name: "read_only_root_filesystem", Type: "bool", Description: "Mount the container's root filesystem read-only."},
			{Name: "run_as_user", Type: "number", Format: "integer", Description: "UID the container runs as."},
			{Name: "run_as_group", Type: "number", Format: "integer", Description: "GID the container runs as."},
		}},
		{Type: "cron", Description: "CronWorkflow options, used when the pipeline has a schedule.", Attributes: []*AttributeSchema{
			{Name: "concurrency_policy", Type: "string", Allowed: concurrencyPols, Description: "What to do when a scheduled run starts while another is running."},
			{Name: "starting_deadline", Type: "string", Format: "duration", Description: "How late a missed run may still start."},
			{Name: "successful_jobs_history_limit", Type: "number", Format: "integer", Description: "Successful workflows to keep."},
			{Name: "failed_jobs_history_limit", Type: "number", Format: "integer", Description: "Failed workflows to keep."},
		}},
	},
}

var dvcSchema = &BlockSchema{
	Type:        "dvc",
	Description: "Options that only the DVC target uses.",
	Attributes: []*AttributeSchema{
		{Name: "data_dir", Type: "string", Format: "path", Default: "data", Description: "Directory of the DVC project where step outputs live."},
		{Name: "params", Type: "bool", Default: "false", Description: "Expose the non-sensitive variables as DVC params (params.yaml) so that a changed value reruns the stages that use it."},
	},
}

var pipelineSchema = &BlockSchema{
	Type:        "pipeline",
	Labels:      str("name"),
	Required:    true,
	Description: "The pipeline: its name and defaults. Exactly one per pipeline.",
	Attributes: []*AttributeSchema{
		{Name: "description", Type: "string", Description: "What the pipeline does."},
		{Name: "image", Type: "string", Description: "Default container image of every step."},
		{Name: "schedule", Type: "list(string)", Format: "cron", Description: "Cron expressions (5 fields, or @daily and the like) on which the pipeline runs."},
		{Name: "timezone", Type: "string", Format: "timezone", Default: "UTC", Description: "IANA time zone of the schedule."},
		{Name: "labels", Type: "map(string)", Description: "Labels attached to what the targets generate."},
	},
	Blocks: []*BlockSchema{sourcesSchema, argoSchema, dvcSchema},
}

var variableSchema = &BlockSchema{
	Type:        "variable",
	Labels:      str("name"),
	Repeatable:  true,
	Description: "An input variable, set by default, WURZEL_VAR_<name>, --var-file or --var.",
	Attributes: []*AttributeSchema{
		{Name: "type", Type: "type", Default: "any", Description: "Type constraint of the value (string, number, bool, list(...), map(...), object({...}), any)."},
		{Name: "default", Type: "any", Description: "Value used when none is given; a variable without default is required."},
		{Name: "description", Type: "string", Description: "What the variable means."},
		{Name: "sensitive", Type: "bool", Default: "false", Description: "The value is secret: it may not be written into generated files."},
	},
	Blocks: []*BlockSchema{
		{Type: "validation", Repeatable: true, Description: "A condition the value must meet.", Attributes: []*AttributeSchema{
			{Name: "condition", Type: "bool", Required: true, Description: "Expression over var.<name> that must be true."},
			{Name: "error_message", Type: "string", Required: true, Description: "Message shown when the condition is false."},
		}},
	},
}

var localsSchema = &BlockSchema{
	Type:          "locals",
	Repeatable:    true,
	AnyAttributes: true,
	Description:   "Named values computed from variables and other locals, referenced as local.<name>.",
}

var secretSchema = &BlockSchema{
	Type:        "secret",
	Labels:      str("name"),
	Repeatable:  true,
	Description: "A named set of keys mounted as files into the steps that list it.",
	Attributes: []*AttributeSchema{
		{Name: "description", Type: "string", Description: "What the secret is for."},
		{Name: "keys", Type: "list(string)", Required: true, Description: "Names of the keys; each becomes a file in the mount directory."},
		{Name: "mount_path", Type: "string", Default: "/var/run/secrets/wurzel/<name>", Description: "Absolute directory where the key files appear in a container."},
		{Name: "export_env", Type: "map(string)", Description: "Key to environment variable name: the command also gets the key's value in that variable."},
	},
	Blocks: []*BlockSchema{
		{Type: "kubernetes", Description: "The Kubernetes Secret that holds the keys (needed by Argo runs).", Attributes: []*AttributeSchema{
			{Name: "name", Type: "string", Required: true, Description: "Name of the Kubernetes Secret."},
		}},
		{Type: "local", ExactlyOneOf: str("dir", "env"), Description: "Where local and DVC runs find the keys: a directory or environment variables.", Attributes: []*AttributeSchema{
			{Name: "dir", Type: "string", Description: "Directory with one file per key, relative to the pipeline directory."},
			{Name: "env", Type: "map(string)", Description: "Key to the name of the environment variable holding its value."},
		}},
	},
}

var volumeSchema = &BlockSchema{
	Type:        "volume",
	Labels:      str("name"),
	Repeatable:  true,
	Description: "A named volume mounted into the steps that list it.",
	Attributes: []*AttributeSchema{
		{Name: "type", Type: "string", Required: true, Allowed: volumeTypes, Description: "Kind of volume."},
		{Name: "claim_name", Type: "string", OnlyFor: str("persistent_volume_claim"), RequiredFor: str("persistent_volume_claim"), Description: "Existing PersistentVolumeClaim (type persistent_volume_claim, required there)."},
		{Name: "config_map_name", Type: "string", OnlyFor: str("config_map"), RequiredFor: str("config_map"), Description: "ConfigMap to mount (type config_map, required there)."},
		{Name: "size_limit", Type: "string", Format: "quantity", OnlyFor: str("empty_dir"), Description: "Size limit of an empty_dir volume."},
		{Name: "size", Type: "string", Format: "quantity", OnlyFor: str("claim_template"), RequiredFor: str("claim_template"), Description: "Size of the claim made per run (type claim_template, required there)."},
		{Name: "storage_class", Type: "string", OnlyFor: str("claim_template"), Description: "Storage class of the claim made per run (type claim_template)."},
		{Name: "access_modes", Type: "list(string)", Allowed: accessModes, OnlyFor: str("claim_template"), Default: `["ReadWriteOnce"]`, Description: "Access modes of the claim made per run (type claim_template)."},
		{Name: "mount_path", Type: "string", Required: true, Description: "Absolute directory where the volume appears in a container."},
		{Name: "read_only", Type: "bool", Default: "false", Description: "Mount the volume read-only."},
	},
	Blocks: []*BlockSchema{
		{Type: "local", Description: "Where local runs keep the volume's content.", Attributes: []*AttributeSchema{
			{Name: "dir", Type: "string", Default: ".wurzel/volumes/<name>", Description: "Directory, relative to the pipeline directory unless absolute."},
		}},
	},
}

var stepSchema = &BlockSchema{
	Type:        "step",
	Labels:      str("name"),
	Repeatable:  true,
	Description: "A unit of work: a command run in a container, reading inputs and writing outputs.",
	Attributes: []*AttributeSchema{
		{Name: "description", Type: "string", Description: "What the step does."},
		{Name: "image", Type: "string", Description: "Container image; the pipeline's image when unset."},
		{Name: "command", Type: "list(string)", Required: true, Description: "Program and arguments, run without a shell in the step's work directory."},
		{Name: "env", Type: "map(string)", Format: "env", Description: "Environment variables of the command (names may not start with WURZEL_)."},
		{Name: "settings", Type: "map(any)", Description: "Settings passed as environment variables <STEP>__<KEY>; numbers and bools as text, lists and maps as JSON."},
		{Name: "secrets", Type: "list(reference)", ReferenceKinds: str("secret"), Description: "Secrets mounted into the step: [secret.<name>, ...]."},
		{Name: "volumes", Type: "list(reference)", ReferenceKinds: str("volume"), Description: "Volumes mounted into the step: [volume.<name>, ...]."},
		{Name: "depends_on", Type: "list(reference)", ReferenceKinds: str("step", "step output"), Description: "Steps that must finish first without passing data: [step.<name>, ...]."},
		{Name: "timeout", Type: "string", Format: "duration", Description: "Bound on one attempt of the command."},
		{Name: "watch", Type: "list(string)", Format: "path", Description: "Files or directories, relative to the pipeline directory, whose change reruns the step (incremental targets)."},
	},
	Blocks: []*BlockSchema{
		{Type: "input", Labels: str("name"), Repeatable: true, ExactlyOneOf: str("from", "source"), Description: "Data the step reads: another step's output (from) or an outside address (source).", Attributes: []*AttributeSchema{
			{Name: "from", Type: "reference", ReferenceKinds: str("step output"), Description: "The output this input is: step.<step>.output.<output>."},
			{Name: "source", Type: "string", Description: "go-getter address of outside data (git::https://..., s3::https://..., ./dir)."},
			{Name: "path", Type: "string", Format: "path", Default: "inputs/<name>", Description: "Where the step sees the input, relative to its work directory."},
			{Name: "type", Type: "string", Description: "Data type; must equal the producer output's type."},
		}},
		{Type: "output", Labels: str("name"), Repeatable: true, Description: "Data the step writes.", Attributes: []*AttributeSchema{
			{Name: "path", Type: "string", Format: "path", Required: true, Description: "Where the command writes the output (file or directory), relative to its work directory."},
			{Name: "type", Type: "string", Description: "Data type, checked against consuming inputs."},
		}},
		{Type: "resources", Description: "Compute requests of the step.", Attributes: []*AttributeSchema{
			{Name: "cpu", Type: "string", Format: "quantity", Description: "CPU (\"500m\", \"2\")."},
			{Name: "memory", Type: "string", Format: "quantity", Description: "Memory (\"512Mi\", \"16Gi\")."},
			{Name: "ephemeral_storage", Type: "string", Format: "quantity", Description: "Local scratch storage (\"10Gi\")."},
			{Name: "gpu", Type: "number", Format: "integer", Default: "0", Description: "Number of NVIDIA GPUs."},
		}},
		{Type: "retry", Description: "How a failed step is retried.", Attributes: []*AttributeSchema{
			{Name: "attempts", Type: "number", Format: "integer", Required: true, Description: "Retries after the first try."},
			{Name: "backoff", Type: "string", Format: "duration", Description: "Wait before the first retry."},
			{Name: "factor", Type: "number", Format: "integer", Description: "Multiplier of the wait after each retry."},
			{Name: "max_backoff", Type: "string", Format: "duration", Description: "Cap on the wait."},
			{Name: "policy", Type: "string", Allowed: retryPolicies, Default: "on_failure", Description: "Which failures are retried."},
		}},
	},
}

// Schema is the root of the language: the blocks a pipeline file may hold.
var Schema = &BlockSchema{
	Description: "A wurzel pipeline file.",
	Blocks:      []*BlockSchema{pipelineSchema, variableSchema, localsSchema, secretSchema, volumeSchema, stepSchema},
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
