// Package names holds the rule for the names of pipelines, steps, secrets,
// volumes, inputs and outputs. The front end refuses names that break it and
// the runner refuses step specs that carry one; both ask this package.
//
// The rule is the intersection of what every back end accepts unchanged: a
// Kubernetes DNS label that starts with a letter (Argo template and volume
// names) and a DVC stage name, so no back end ever has to mangle a name.
package names
