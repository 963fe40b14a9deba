// Package targets lists wurzel's back ends. Each back end lives in its own
// package below this one and lowers the IR (package ir) to one
// orchestrator's files; none of them parses HCL.
package targets
