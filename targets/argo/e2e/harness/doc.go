// Package harness holds what the Argo end-to-end test needs besides Argo's
// controller: the pipelines it runs, the servers they talk to and the
// reference runs it compares with.
package harness
