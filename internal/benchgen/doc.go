// Package benchgen writes the generated pipelines that wurzel's benchmarks
// share, so that the front end's and the targets' numbers are measured on
// the same source and can be compared.
package benchgen
