package local

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// progress reports a run as it happens. Its methods are called from the
// scheduler and from step workers. The lines of finished steps are held
// until flush, which the scheduler calls before it waits: a thousand steps
// found up to date at once cost one write, not a thousand.
type progress interface {
	begin(pipeline, runID string, steps, jobs int)
	started(step string, reasons []string)
	finished(r StepResult)
	flush()
	end(r *Result)
}

func newProgress(w io.Writer, terminal bool) progress {
	lp := &lineProgress{w: w, start: time.Now()}
	if !terminal {
		return lp
	}
	return &liveProgress{lineProgress: lp, running: map[string]time.Time{}}
}

// lineProgress writes one line per event, for logs and pipes.
type lineProgress struct {
	mu      sync.Mutex
	w       io.Writer
	pending bytes.Buffer // lines not written yet
	start   time.Time
	total   int
	count   map[Status]int
}

func (p *lineProgress) begin(pipeline, runID string, steps, jobs int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.count = steps, map[Status]int{}
	fmt.Fprintf(p.w, "wurzel: run %s of pipeline %s: %d steps, %d at a time\n", runID, pipeline, steps, jobs)
}

func (p *lineProgress) stamp() string {
	return fmt.Sprintf("[%7s]", formatDuration(time.Since(p.start)))
}

func (p *lineProgress) started(step string, reasons []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(&p.pending, "%s start    %s (%s)\n", p.stamp(), step, strings.Join(reasons, ", "))
	p.writePending()
}

func (p *lineProgress) finished(r StepResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.writeFinished(r)
}

func (p *lineProgress) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.writePending()
}

// writePending writes the lines held back; p.mu is held.
func (p *lineProgress) writePending() {
	if p.pending.Len() > 0 {
		p.w.Write(p.pending.Bytes())
		p.pending.Reset()
	}
}

// writeFinished holds back the line of a finished step; p.mu is held.
func (p *lineProgress) writeFinished(r StepResult) {
	p.count[r.Status]++
	w := &p.pending
	switch r.Status {
	case Succeeded:
		fmt.Fprintf(w, "%s done     %s in %s\n", p.stamp(), r.Step, formatDuration(r.Duration))
	case Skipped:
		fmt.Fprintf(w, "%s skipped  %s (up to date)\n", p.stamp(), r.Step)
	case Failed:
		msg, detail, _ := strings.Cut(r.Err, "\n")
		fmt.Fprintf(w, "%s failed   %s: %s\n", p.stamp(), r.Step, msg)
		if detail != "" {
			for _, line := range strings.Split(detail, "\n") {
				fmt.Fprintf(w, "           | %s\n", line)
			}
		}
		if r.LogDir != "" {
			fmt.Fprintf(w, "           logs: %s\n", r.LogDir)
		}
	case Blocked:
		fmt.Fprintf(w, "%s blocked  %s: %s\n", p.stamp(), r.Step, r.Err)
	case Cancelled:
		fmt.Fprintf(w, "%s stopped  %s after %s\n", p.stamp(), r.Step, formatDuration(r.Duration))
	}
}

func (p *lineProgress) end(*Result) { p.flush() }

// liveProgress redraws a block of running steps with their elapsed times
// below the lines of finished steps, on a terminal.
type liveProgress struct {
	*lineProgress
	running map[string]time.Time
	drawn   int // lines of the live block on screen
	stop    chan struct{}
	stopped chan struct{}
}

func (p *liveProgress) begin(pipeline, runID string, steps, jobs int) {
	p.lineProgress.begin(pipeline, runID, steps, jobs)
	p.stop, p.stopped = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.stopped)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.mu.Lock()
				p.redraw()
				p.mu.Unlock()
			}
		}
	}()
}

func (p *liveProgress) started(step string, _ []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running[step] = time.Now()
	p.redraw()
}

func (p *liveProgress) finished(r StepResult) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.running, r.Step)
	p.writeFinished(r)
}

func (p *liveProgress) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending.Len() > 0 {
		p.redraw()
	}
}

func (p *liveProgress) end(*Result) {
	if p.stop != nil {
		close(p.stop)
		<-p.stopped
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.redraw()
	p.erase()
}

// erase removes the live block; p.mu is held.
func (p *liveProgress) erase() {
	if p.drawn > 0 {
		fmt.Fprintf(p.w, "\x1b[%dA\r\x1b[J", p.drawn)
		p.drawn = 0
	}
}

// redraw writes the lines held back and replaces the live block below
// them; p.mu is held.
func (p *liveProgress) redraw() {
	p.erase()
	p.writePending()
	names := make([]string, 0, len(p.running))
	for name := range p.running {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d/%d finished: %d done, %d skipped, %d failed; %d running\n", p.stamp(),
		p.count[Succeeded]+p.count[Skipped]+p.count[Failed]+p.count[Blocked], p.total,
		p.count[Succeeded], p.count[Skipped], p.count[Failed], len(names))
	const maxShown = 20
	for i, name := range names {
		if i == maxShown {
			fmt.Fprintf(&b, "  ... and %d more\n", len(names)-maxShown)
			break
		}
		fmt.Fprintf(&b, "  running  %-30s %s\n", name, formatDuration(time.Since(p.running[name])))
	}
	io.WriteString(p.w, b.String())
	p.drawn = strings.Count(b.String(), "\n")
}

// formatDuration rounds a duration for people: 12ms, 1.23s, 2m3s.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	default:
		return d.Round(time.Second).String()
	}
}

// writeSummary prints the table at the end of a run, in one write. A run
// that found every step up to date gets one line instead: a table of a
// thousand "skipped" rows says nothing that line does not.
func writeSummary(out io.Writer, r *Result) {
	if allUpToDate(r) {
		fmt.Fprintf(out, "run %s ok: %d skipped, %s\n", r.RunID, len(r.Steps), everyStepUpToDate)
		return
	}
	w := bufio.NewWriter(out)
	defer w.Flush()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tSTATUS\tDURATION\tCACHED")
	count := map[Status]int{}
	for _, s := range r.Steps {
		count[s.Status]++
		dur := "-"
		if s.Status == Succeeded || s.Status == Failed || s.Status == Cancelled {
			dur = formatDuration(s.Duration)
		}
		cached := "no"
		if s.Cached {
			cached = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Step, s.Status, dur, cached)
	}
	tw.Flush()
	var parts []string
	for _, st := range []Status{Succeeded, Skipped, Failed, Blocked, Cancelled, NotStarted} {
		if count[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[st], st))
		}
	}
	verdict := "ok"
	if !r.OK() {
		verdict = "FAILED"
	}
	if r.Interrupted {
		verdict = "INTERRUPTED"
	}
	fmt.Fprintf(w, "run %s %s: %s\n", r.RunID, verdict, strings.Join(parts, ", "))
}

// everyStepUpToDate ends the one-line summary of a run that ran nothing.
const everyStepUpToDate = "every step up to date"

// allUpToDate says whether run r found every step up to date.
func allUpToDate(r *Result) bool {
	if r.Interrupted || len(r.Steps) == 0 {
		return false
	}
	for _, s := range r.Steps {
		if s.Status != Skipped {
			return false
		}
	}
	return true
}

// writePlan prints what a dry run found, in one write.
func writePlan(out io.Writer, r *Result) {
	w := bufio.NewWriter(out)
	defer w.Flush()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tACTION\tWHY")
	for _, s := range r.Steps {
		switch s.Status {
		case WouldRun:
			fmt.Fprintf(tw, "%s\trun\t%s\n", s.Step, strings.Join(s.Reasons, ", "))
		case Skipped:
			fmt.Fprintf(tw, "%s\tskip\tup to date\n", s.Step)
		default:
			fmt.Fprintf(tw, "%s\terror\t%s\n", s.Step, s.Err)
		}
	}
	tw.Flush()
}
