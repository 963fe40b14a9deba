// Package apiserver serves the fake clientsets the harness's controller
// uses over the Kubernetes REST API, on HTTPS on 127.0.0.1, so that Argo's
// executor (argoexec init and wait, unchanged, in the pods' containers)
// reads secrets and writes WorkflowTaskResults into the very objects the
// controller watches.
//
// Only what a workflow pod's executor does is served: get, create, update
// and patch of single namespaced objects. Anything else answers 405, so
// that a new need shows up as a clear failure rather than a silent one.
package apiserver
