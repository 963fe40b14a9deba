// Package paramsfile is the contract between the runner and the decoder of
// a params file, the YAML mapping that holds the values of a DVC step's
// runtime variables (params.yaml). The YAML decoder (runner/paramsfile/
// yamlfile) registers itself when imported, so that a binary links a YAML
// library, and pays for its initialisation at every start, only if it asks
// for it: wurzel does, for DVC's stages; wurzel-step, which Argo pods run
// and whose variables come from parameter files of one value each, does
// not.
package paramsfile
