// Package yamltest reads generated YAML the way the tools that consume it
// do, for tests: with a YAML 1.1 reader (go.yaml.in/yaml/v2, the reader
// Kubernetes' sigs.k8s.io/yaml is built on; PyYAML reads the same way) and a
// YAML 1.2 reader (go.yaml.in/yaml/v3; ruamel, which DVC uses, reads the same
// way), and fails the test when the two see different data.
//
// Agreement of these two readers is necessary, not sufficient: go-yaml v2
// leaves some YAML 1.1 forms strings (sexagesimal numbers such as 1:20,
// which PyYAML reads as 80) and go-yaml v3 reads 0777 as an octal number
// the way YAML 1.1 does. internal/yamlout therefore quotes by a rule derived
// from both specifications, and tests that rule on its own.
package yamltest
