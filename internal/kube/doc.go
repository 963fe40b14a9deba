// Package kube holds Kubernetes' rules for the values wurzel passes to it:
// object names (DNS labels and subdomains), qualified names (label and
// annotation keys), label values, Secret and ConfigMap keys and resource
// quantities. The front end checks quantities with it, the Argo target
// everything else; each rule is written once, here.
package kube
