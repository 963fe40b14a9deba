package benchpair

import (
	"os/exec"
	"slices"
	"testing"
	"time"
)

// SubjectTree runs cmd and records its times as SubjectCmd does, except
// that the CPU time is that of its whole process tree: on Linux, after
// Adopt, a process that outlives its parent (a runner's guardian, which
// ends just after the runner) is waited for and counted too.
func (p *Pair) SubjectTree(cmd *exec.Cmd) error { return p.measureTree(subject, cmd) }

// PeerTree runs cmd and records its times as SubjectTree does.
func (p *Pair) PeerTree(cmd *exec.Cmd) error { return p.measureTree(peer, cmd) }

func (p *Pair) measureTree(which int, cmd *exec.Cmd) error {
	wall, cpu, err := RunTree(cmd)
	p.record(which, wall, cpu)
	return err
}

// RecordSubject adds times of the subject measured elsewhere: one
// measurement that serves two pairs, say.
func (p *Pair) RecordSubject(wall, cpu time.Duration) { p.record(subject, wall, cpu) }

// RecordPeer adds times of the peer measured elsewhere.
func (p *Pair) RecordPeer(wall, cpu time.Duration) { p.record(peer, wall, cpu) }

func (p *Pair) record(which int, wall, cpu time.Duration) {
	p.wall[which] = append(p.wall[which], wall)
	p.cpu[which] = append(p.cpu[which], cpu)
}

// ReportOverhead reports what the subject costs over its peer, divided by
// per (the steps of a run, say): the median of the rounds' differences, in
// wall time as "overhead-ms/"+unit and in CPU time as
// "cpu-overhead-ms/"+unit.
func (p *Pair) ReportOverhead(b *testing.B, per float64, unit string) {
	diff := func(d [2][]time.Duration) time.Duration {
		n := min(len(d[subject]), len(d[peer]))
		out := make([]time.Duration, n)
		for i := range n {
			out[i] = d[subject][i] - d[peer][i]
		}
		slices.Sort(out)
		if n == 0 {
			return 0
		}
		return out[n/2]
	}
	b.ReportMetric(ms(diff(p.wall))/per, "overhead-ms/"+unit)
	b.ReportMetric(ms(diff(p.cpu))/per, "cpu-overhead-ms/"+unit)
}

// Medians returns the subject's and the peer's median wall and CPU times.
func (p *Pair) Medians() (wallSubject, wallPeer, cpuSubject, cpuPeer time.Duration) {
	return Median(p.wall[subject]), Median(p.wall[peer]), Median(p.cpu[subject]), Median(p.cpu[peer])
}
