package local

import (
	"context"
	"fmt"

	"github.com/wurzel-dev/wurzel/ir"
)

// plan is the dry run: it decides, step by step in pipeline order, what a
// run would do and why, without running or writing anything. A step
// downstream of one that would run cannot know its new inputs, so it would
// run "because upstream re-runs" unless it has reasons of its own.
func (e *executor) plan(ctx context.Context) (*Result, error) {
	res := &Result{RunID: e.runID}
	willRun := map[string]bool{}
	for i := range e.p.Steps {
		s := &e.p.Steps[i]
		r := StepResult{Step: s.Name}
		fp, err := e.staticFingerprint(s)
		if err != nil {
			r.Status, r.Err = Failed, err.Error()
			willRun[s.Name] = true
			res.Steps = append(res.Steps, r)
			continue
		}
		old := e.lock.get(s.Name)
		var upstream []string
		seen := map[string]bool{}
		for _, need := range s.Needs {
			if willRun[need] && !seen[need] {
				seen[need] = true
				upstream = append(upstream, need)
			}
		}
		var rs []string
		switch {
		case e.opts.ForceAll || e.force[s.Name]:
			rs = []string{"forced"}
		default:
			// Inputs from steps that re-run are unknown: compare the rest.
			for j := range s.Inputs {
				in := &s.Inputs[j]
				if in.Source != "" {
					continue
				}
				if anyWillRun(in.Producers(), willRun) {
					if old != nil {
						fp.Inputs[in.Name] = old.Inputs[in.Name]
					}
					continue
				}
				if err := e.addUpstreamOne(s, in, &fp); err != nil {
					r.Status, r.Err = Failed, err.Error()
				}
			}
			rs = reasons(s, old, fp)
			for _, u := range upstream {
				rs = append(rs, fmt.Sprintf("upstream %s re-runs", u))
			}
			if len(rs) == 0 {
				rs = e.storeReasons(ctx, old)
			}
		}
		switch {
		case r.Status == Failed:
			willRun[s.Name] = true
		case len(rs) > 0:
			r.Status, r.Reasons = WouldRun, rs
			willRun[s.Name] = true
		default:
			r.Status, r.Cached = Skipped, true
		}
		res.Steps = append(res.Steps, r)
	}
	writePlan(e.opts.Summary, res)
	return res, nil
}

// anyWillRun reports whether one of the producers will run.
func anyWillRun(producers []ir.Producer, willRun map[string]bool) bool {
	for _, p := range producers {
		if willRun[p.Step] {
			return true
		}
	}
	return false
}
