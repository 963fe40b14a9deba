package lang

import (
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/wurzel-dev/wurzel/ir"
	"github.com/wurzel-dev/wurzel/schema"
)

// The tables below describe the language's own blocks; back ends add theirs
// as schema.Extensions (see Options.Schema). The decoders are built from
// them, and so are editor hover texts, completion, the JSON Schema and the
// generated reference in docs/language.md.

// hclSchemas caches the hcl.BodySchema of each block schema.
var hclSchemas sync.Map // *schema.Block -> *hcl.BodySchema

// hclSchema converts a block schema to the hcl.BodySchema used to decode its
// body. Required attributes are checked by hcl itself.
func hclSchema(b *schema.Block) *hcl.BodySchema {
	if s, ok := hclSchemas.Load(b); ok {
		return s.(*hcl.BodySchema)
	}
	s := &hcl.BodySchema{}
	for _, a := range b.Attributes {
		s.Attributes = append(s.Attributes, hcl.AttributeSchema{Name: a.Name, Required: a.Required})
	}
	for _, c := range b.Blocks {
		s.Blocks = append(s.Blocks, hcl.BlockHeaderSchema{Type: c.Type, LabelNames: c.Labels})
	}
	hclSchemas.Store(b, s)
	return s
}

func str(s ...string) []string { return s }

var (
	retryPolicies = str("on_failure", "on_error", "on_transient_error", "always")
	volumeTypes   = str("persistent_volume_claim", "config_map", "empty_dir", "claim_template")
	accessModes   = str("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
	outputKinds   = str(string(ir.OutputFile), string(ir.OutputDir))
)

var sourcesSchema = &schema.Block{
	Type:        "sources",
	Description: "Limits what go-getter `source` inputs may fetch.",
	Attributes: []*schema.Attribute{
		{Name: "allowed_schemes", Type: "list(string)", Default: `["gcs", "git", "https", "s3"]`, Description: "go-getter getters or URL schemes that sources may use (file, http, https, s3, gcs, git, hg)."},
		{Name: "allowed_hosts", Type: "list(string)", Description: "When set, the only hosts sources and their redirects may reach."},
		{Name: "timeout", Type: "string", Format: "duration", Description: "Bound on one download; the runner's default when unset."},
		{Name: "max_size", Type: "string", Format: "quantity", Description: "Bound on the bytes of one download (\"500Mi\", \"2G\"); no limit when unset."},
	},
}

var pipelineLocalSchema = &schema.Block{
	Type:        "local",
	Description: "How `wurzel run` runs the pipeline on this machine.",
	Attributes: []*schema.Attribute{
		{Name: "isolation", Type: "string", Allowed: str("host", "container"), Default: "host", Description: "Where steps run unless `wurzel run --isolation` says otherwise: \"host\" (processes on this machine) or \"container\" (each step in its image through podman or docker, as in its pod; on the host where neither is installed)."},
	},
}

var pipelineSchema = &schema.Block{
	Type:        "pipeline",
	Labels:      str("name"),
	Required:    true,
	Description: "The pipeline: its name and defaults. Exactly one per pipeline.",
	Attributes: []*schema.Attribute{
		{Name: "description", Type: "string", Description: "What the pipeline does."},
		{Name: "image", Type: "string", Description: "Default container image of every step."},
		{Name: "schedule", Type: "list(string)", Format: "cron", Description: "Cron expressions (5 fields, or @daily and the like) on which the pipeline runs."},
		{Name: "timezone", Type: "string", Format: "timezone", Default: "UTC", Description: "IANA time zone of the schedule."},
		{Name: "labels", Type: "map(string)", Description: "Labels attached to what the targets generate."},
		{Name: "env", Type: "map(string)", Format: "env", Description: "Environment variables of every step's command; a step's own env wins over an entry of the same name."},
	},
	Blocks: []*schema.Block{sourcesSchema, pipelineLocalSchema},
}

var variableSchema = &schema.Block{
	Type:        "variable",
	Labels:      str("name"),
	Repeatable:  true,
	Description: "An input variable, set by default, WURZEL_VAR_<name>, --var-file or --var.",
	Attributes: []*schema.Attribute{
		{Name: "type", Type: "type", Default: "any", Description: "Type constraint of the value (string, number, bool, list(...), map(...), object({...}), any)."},
		{Name: "default", Type: "any", Description: "Value used when none is given; a variable without default is required."},
		{Name: "description", Type: "string", Description: "What the variable means."},
		{Name: "sensitive", Type: "bool", Default: "false", Description: "The value is secret: it may not be written into generated files."},
		{Name: "runtime", Type: "bool", Description: "Whether back ends let the value be set when the pipeline runs (Argo parameters, DVC params.yaml): unset, whenever the variable only feeds command arguments, env and settings; true requires it (an error otherwise); false fixes the value when the pipeline is generated."},
	},
	Blocks: []*schema.Block{
		{Type: "validation", Repeatable: true, Description: "A condition the value must meet.", Attributes: []*schema.Attribute{
			{Name: "condition", Type: "bool", Required: true, Description: "Expression over var.<name> that must be true."},
			{Name: "error_message", Type: "string", Required: true, Description: "Message shown when the condition is false."},
		}},
	},
}

var localsSchema = &schema.Block{
	Type:          "locals",
	Repeatable:    true,
	AnyAttributes: true,
	Description:   "Named values computed from variables and other locals, referenced as local.<name>.",
}

var secretSchema = &schema.Block{
	Type:        "secret",
	Labels:      str("name"),
	Repeatable:  true,
	Description: "A named set of keys mounted as files into the steps that list it.",
	Attributes: []*schema.Attribute{
		{Name: "description", Type: "string", Description: "What the secret is for."},
		{Name: "keys", Type: "list(string)", Required: true, Description: "Names of the keys; each becomes a file in the mount directory."},
		{Name: "mount_path", Type: "string", Default: "/var/run/secrets/wurzel/<name>", Description: "Absolute directory where the key files appear in a container."},
		{Name: "export_env", Type: "map(string)", Description: "Key to environment variable name: the command also gets the key's value in that variable."},
	},
	Blocks: []*schema.Block{
		{Type: "kubernetes", Description: "The Kubernetes Secret that holds the keys (needed by Argo runs).", Attributes: []*schema.Attribute{
			{Name: "name", Type: "string", Required: true, Description: "Name of the Kubernetes Secret."},
		}},
		{Type: "local", ExactlyOneOf: str("dir", "env"), Description: "Where local and DVC runs find the keys: a directory or environment variables.", Attributes: []*schema.Attribute{
			{Name: "dir", Type: "string", Description: "Directory with one file per key, relative to the pipeline directory."},
			{Name: "env", Type: "map(string)", Description: "Key to the name of the environment variable holding its value."},
		}},
	},
}

var volumeSchema = &schema.Block{
	Type:        "volume",
	Labels:      str("name"),
	Repeatable:  true,
	Description: "A named volume mounted into the steps that list it.",
	Attributes: []*schema.Attribute{
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
	Blocks: []*schema.Block{
		{Type: "local", Description: "Where local runs keep the volume's content.", Attributes: []*schema.Attribute{
			{Name: "dir", Type: "string", Default: ".wurzel/volumes/<name>", Description: "Directory, relative to the pipeline directory unless absolute."},
		}},
	},
}

var stepSchema = &schema.Block{
	Type:        "step",
	Labels:      str("name"),
	Repeatable:  true,
	Description: "A unit of work: a command run in a container, reading inputs and writing outputs.",
	Attributes: []*schema.Attribute{
		{Name: "description", Type: "string", Description: "What the step does."},
		{Name: "for_each", Type: "any", Description: "A map, or a set of strings, known when the pipeline is loaded: the step runs once per key, as the instance <step>-<key>, with each.key and each.value in scope."},
		{Name: "image", Type: "string", Description: "Container image; the pipeline's image when unset."},
		{Name: "command", Type: "list(string)", Required: true, Description: "Program and arguments, run without a shell in the step's work directory."},
		{Name: "env", Type: "map(string)", Format: "env", Description: "Environment variables of the command (names may not start with WURZEL_)."},
		{Name: "settings", Type: "map(any)", Description: "Settings passed as environment variables <STEP>__<KEY>; numbers and bools as text, lists and maps as JSON."},
		{Name: "secrets", Type: "list(reference)", ReferenceKinds: str("secret"), Description: "Secrets mounted into the step: [secret.<name>, ...]."},
		{Name: "volumes", Type: "list(reference)", ReferenceKinds: str("volume"), Description: "Volumes mounted into the step: [volume.<name>, ...]."},
		{Name: "depends_on", Type: "list(reference)", ReferenceKinds: str("step", "step output"), Description: "Steps that must finish first without passing data: [step.<name>, ...]."},
		{Name: "timeout", Type: "string", Format: "duration", Description: "Bound on the command's run time in one attempt (not its input downloads or output uploads); the runner stops it with exit code 124."},
		{Name: "watch", Type: "list(string)", Format: "path", Description: "Files or directories, relative to the pipeline directory, whose change reruns the step (incremental targets)."},
		{Name: "always_run", Type: "bool", Default: "false", Description: "The step has effects beyond its outputs (publishing, notifying): incremental runs never skip it."},
	},
	Blocks: []*schema.Block{
		{Type: "input", Labels: str("name"), Repeatable: true, ExactlyOneOf: str("from", "source"), Description: "Data the step reads: another step's output (from) or an outside address (source).", Attributes: []*schema.Attribute{
			{Name: "from", Type: "reference", ReferenceKinds: str("step output"), Description: "The output this input is: step.<step>.output.<output>; for a step with for_each, step.<step>[*].output.<output> (every instance, a directory with one entry per key) or step.<step>[\"<key>\"].output.<output> (one)."},
			{Name: "source", Type: "string", Description: "go-getter address of outside data (git::https://..., s3::https://..., ./dir)."},
			{Name: "path", Type: "string", Format: "path", Default: "inputs/<name>", Description: "Where the step sees the input, relative to its work directory."},
			{Name: "type", Type: "string", Description: "Data type; must equal the producer output's type."},
		}},
		{Type: "output", Labels: str("name"), Repeatable: true, Description: "Data the step writes.", Attributes: []*schema.Attribute{
			{Name: "path", Type: "string", Format: "path", Required: true, Description: "Where the command writes the output, relative to its work directory; a trailing \"/\" declares a directory."},
			{Name: "kind", Type: "string", Allowed: outputKinds, Default: "file", Description: "Whether the output is a file or a directory (\"dir\"); \"dir\" when path ends in \"/\". The runner refuses an output that is not what it declares."},
			{Name: "type", Type: "string", Description: "Data type, checked against consuming inputs."},
		}},
		{Type: "resources", Description: "Compute requests (and limits) of the step.", Attributes: []*schema.Attribute{
			{Name: "cpu", Type: "string", Format: "quantity", Description: "CPU (\"500m\", \"2\")."},
			{Name: "memory", Type: "string", Format: "quantity", Description: "Memory (\"512Mi\", \"16Gi\")."},
			{Name: "ephemeral_storage", Type: "string", Format: "quantity", Description: "Local scratch storage (\"10Gi\")."},
			{Name: "gpu", Type: "number", Format: "integer", Default: "0", Description: "Number of NVIDIA GPUs."},
			{Name: "cpu_limit", Type: "string", Format: "quantity", Description: "CPU limit; none when unset."},
			{Name: "memory_limit", Type: "string", Format: "quantity", Description: "Memory limit; memory when unset."},
			{Name: "ephemeral_storage_limit", Type: "string", Format: "quantity", Description: "Local scratch storage limit; ephemeral_storage when unset."},
		}},
		{Type: "retry", Description: "How a failed step is retried.", Attributes: []*schema.Attribute{
			{Name: "attempts", Type: "number", Format: "integer", Required: true, Description: "Retries after the first try."},
			{Name: "backoff", Type: "string", Format: "duration", Description: "Wait before the first retry."},
			{Name: "factor", Type: "number", Format: "integer", Description: "Multiplier of the wait after each retry."},
			{Name: "max_backoff", Type: "string", Format: "duration", Description: "Cap on the wait."},
			{Name: "policy", Type: "string", Allowed: retryPolicies, Default: "on_failure", Description: "Which failures are retried."},
		}},
	},
}

// Schema is the root of the language's own blocks: what a pipeline file may
// hold before back ends add theirs (schema.Extend).
var Schema = &schema.Block{
	Description: "A wurzel pipeline file.",
	Blocks:      []*schema.Block{pipelineSchema, variableSchema, localsSchema, secretSchema, volumeSchema, stepSchema},
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
