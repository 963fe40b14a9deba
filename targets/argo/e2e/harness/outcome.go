package harness

import (
	"fmt"
	"sort"
	"strings"
)

// Step statuses common to both back ends.
const (
	StepSucceeded = "succeeded"
	StepFailed    = "failed"
	// StepNotRun: never started (blocked by a failure, or never reached).
	StepNotRun = "not run"
	// StepPending: started on Argo but its pod never ran (an image that
	// cannot be pulled, a volume that cannot be mounted).
	StepPending = "pending"
)

// Files are an output's files: path (relative to the output, "." for a
// file output) to sha256.
type Files map[string]string

// Step is what happened to one step.
type Step struct {
	Status   string
	ExitCode int
	// Message is the back end's explanation of a failure.
	Message string
	// Attempts counts the step's pods (Argo) or runs (local).
	Attempts int
	Outputs  map[string]Files
	// Keys are the artifact repository's keys of the outputs (Argo).
	Keys map[string]string
}

// Outcome is what happened to a pipeline's steps, by step name.
type Outcome struct {
	Phase string
	Steps map[string]*Step
	// RunID is wurzel run's run id.
	RunID string
}

// Differences lists how argo differs from local, the reference: a step
// that succeeded locally must succeed with the same output bytes, a step
// that failed must fail with the same exit code, a step that did not run
// must not run.
func Differences(local, argo *Outcome) []string {
	var diffs []string
	names := make([]string, 0, len(local.Steps))
	for n := range local.Steps {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		l, a := local.Steps[n], argo.Steps[n]
		if a == nil {
			a = &Step{Status: StepNotRun}
		}
		switch {
		case l.Status != a.Status:
			diffs = append(diffs, fmt.Sprintf("step %s: %s under wurzel run (exit %d), %s on Argo (exit %d): %s",
				n, l.Status, l.ExitCode, a.Status, a.ExitCode, oneLine(a.Message)))
		case l.Status == StepFailed && l.ExitCode != a.ExitCode:
			diffs = append(diffs, fmt.Sprintf("step %s: failed with exit %d under wurzel run, with exit %d on Argo: %s",
				n, l.ExitCode, a.ExitCode, oneLine(a.Message)))
		case l.Status == StepSucceeded:
			diffs = append(diffs, outputDifferences(n, l.Outputs, a.Outputs)...)
		}
	}
	for n, a := range argo.Steps {
		if local.Steps[n] == nil && a.Status != StepNotRun {
			diffs = append(diffs, fmt.Sprintf("step %s ran on Argo but is not a step of the pipeline", n))
		}
	}
	return diffs
}

func outputDifferences(step string, local, argo map[string]Files) []string {
	var diffs []string
	for name, lf := range local {
		af, ok := argo[name]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("step %s: output %s is missing from the artifact repository", step, name))
			continue
		}
		for p, sum := range lf {
			switch got, ok := af[p]; {
			case !ok:
				diffs = append(diffs, fmt.Sprintf("step %s: output %s: file %s is missing on Argo", step, name, p))
			case got != sum:
				diffs = append(diffs, fmt.Sprintf("step %s: output %s: file %s has sha256 %s on Argo, %s under wurzel run", step, name, p, got, sum))
			}
		}
		for p := range af {
			if _, ok := lf[p]; !ok {
				diffs = append(diffs, fmt.Sprintf("step %s: output %s: Argo has an extra file %s", step, name, p))
			}
		}
	}
	sort.Strings(diffs)
	return diffs
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
