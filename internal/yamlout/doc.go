// Package yamlout writes the YAML files wurzel generates (Argo Workflows
// streams, dvc.yaml, params.yaml) so that a YAML 1.1 reader (PyYAML,
// Kubernetes' sigs.k8s.io/yaml, go-yaml v2) and a YAML 1.2 reader (ruamel,
// go-yaml v3) read exactly the same data, and so that the same input always
// gives the same bytes.
//
// Documents are go.yaml.in/yaml/v3 nodes built with this package's
// constructors, and Marshal writes them: mappings keep the order their keys
// were added in (the order a person writes the file in, not an alphabetical
// one), and the style of every scalar is decided here:
//
//   - A string is written plain only when both YAML versions are certain to
//     read it back as that string (see [Plain] for the rule); every other
//     string is double-quoted, with only the escapes both versions share,
//     and each byte of invalid UTF-8 written as U+FFFD.
//   - Numbers are written so that both versions read the same number: a
//     non-integer always carries a "." and a signed exponent, since YAML 1.1
//     reads 1e3 as a string.
//   - Booleans are true and false, null is null: the only spellings the two
//     versions share.
//
// Marshal writes one document or a stream of them, with an optional comment
// header and one of two sequence layouts: the one kubectl writes Kubernetes
// objects in, or sequences indented under their key. It never folds a line.
//
// Tests read what Marshal writes with both kinds of reader
// (internal/yamlout/yamltest); the fuzz targets FuzzScalarRoundTrip and
// FuzzYAMLString do so for any string and number.
package yamlout
