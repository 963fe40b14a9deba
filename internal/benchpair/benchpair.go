package benchpair

import (
	"os/exec"
	"slices"
	"testing"
	"time"
)

// Pair collects the times of a subject and its peer.
type Pair struct {
	wall, cpu [2][]time.Duration
}

const (
	subject = 0
	peer    = 1
)

// Subject runs fn once and records its times.
func (p *Pair) Subject(fn func()) { p.measure(subject, fn) }

// Peer runs fn once and records its times.
func (p *Pair) Peer(fn func()) { p.measure(peer, fn) }

// SubjectCmd runs cmd and records its times: wall time, and the CPU time of
// the process.
func (p *Pair) SubjectCmd(cmd *exec.Cmd) error { return p.measureCmd(subject, cmd) }

// PeerCmd runs cmd and records its times as SubjectCmd does.
func (p *Pair) PeerCmd(cmd *exec.Cmd) error { return p.measureCmd(peer, cmd) }

func (p *Pair) measureCmd(which int, cmd *exec.Cmd) error {
	t0 := time.Now()
	err := cmd.Run()
	p.wall[which] = append(p.wall[which], time.Since(t0))
	if cmd.ProcessState != nil {
		p.cpu[which] = append(p.cpu[which], cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
	}
	return err
}

func (p *Pair) measure(which int, fn func()) {
	c0, t0 := CPU(), time.Now()
	fn()
	p.wall[which] = append(p.wall[which], time.Since(t0))
	p.cpu[which] = append(p.cpu[which], CPU()-c0)
}

// Report reports the medians of both, in milliseconds, and name (such as
// "x-parse") as the subject's median wall time over the peer's, and
// "cpu-"+name the same for CPU time.
func (p *Pair) Report(b *testing.B, name string) {
	ws, wp := Median(p.wall[subject]), Median(p.wall[peer])
	b.ReportMetric(ms(ws), "ms/subject")
	b.ReportMetric(ms(wp), "ms/peer")
	if wp > 0 {
		b.ReportMetric(float64(ws)/float64(wp), name)
	}
	if cs, cp := Median(p.cpu[subject]), Median(p.cpu[peer]); cp > 0 {
		b.ReportMetric(float64(cs)/float64(cp), "cpu-"+name)
	}
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// Median is the median of d, 0 for none.
func Median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
