// Package yamlfile decodes params files (DVC's params.yaml) as YAML and
// registers itself with runner/paramsfile when imported. A YAML alias to a
// single value is that value.
package yamlfile
