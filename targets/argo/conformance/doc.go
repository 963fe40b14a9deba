// Package conformance checks the Argo target's output with Argo Workflows'
// own code: every document is strictly decoded into Argo's v1alpha1 types and
// passes Argo's workflow validation. It is a module of its own so that the
// wurzel binary does not link Argo and its dependencies.
package conformance
