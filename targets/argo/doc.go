// Package argo is wurzel's Argo Workflows back end. It checks what Argo and
// Kubernetes would refuse (names, template expressions, secrets without a
// Kubernetes source, ...) against the user's source ranges, and lowers the IR
// to one multi-document YAML stream: a Workflow, a CronWorkflow, or a
// WorkflowTemplate with a thin Workflow or CronWorkflow that refers to it.
//
// Every step runs through the wurzel runner (`wurzel step exec`), which an
// init container copies from the runner image into a shared emptyDir, so the
// runtime contract holds inside any user image. The step spec reaches it as
// a file (a raw input artifact), runtime variables as workflow parameters
// (params.go), and every container of the pod, Argo's own included, runs
// as one user with Pod Security "restricted" settings (pod.go).
// docs/targets/argo.md documents the mapping from the language to Argo's
// fields.
//
// The lowering builds each document directly as the untyped YAML nodes
// internal/yamlout writes, mappings in the order their keys were set
// (yaml.go), rather than as typed structs. Argo's
// own Go types would link Kubernetes' API machinery and Argo's whole module
// into the wurzel binary, and their JSON-based YAML encoding sorts keys and
// leaves the quoting of strings to the library. Hand-written structs would
// copy a slice of Argo's and Kubernetes' schema that the compiler cannot
// check against the real one, and would still need omit-if-empty rules for
// every field. The tree keeps the key order an operator writes, and the
// conformance module (targets/argo/conformance) decodes every generated
// stream strictly into Argo's real types and runs Argo's validation on it,
// which catches a misspelt or misplaced field that a struct would have
// caught.
package argo
