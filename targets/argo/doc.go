// Package argo is wurzel's Argo Workflows back end. It checks what Argo and
// Kubernetes would refuse (names, template expressions, secrets without a
// Kubernetes source, ...) against the user's source ranges, and lowers the IR
// to one multi-document YAML stream: a Workflow, a CronWorkflow, or a
// WorkflowTemplate with a thin Workflow or CronWorkflow that refers to it.
//
// Every step runs through the wurzel runner (`wurzel step exec`), which an
// init container copies from the runner image into a shared emptyDir, so the
// runtime contract holds inside any user image. docs/targets/argo.md
// documents the mapping from the language to Argo's fields.
package argo
