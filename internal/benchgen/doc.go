// Package benchgen writes the generated pipelines that wurzel's benchmarks
// share, and runs a benchmark on one with the metrics they all report, so
// that the front end's and the targets' numbers are measured on the same
// source, the same way, and can be compared.
package benchgen
