package runner

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/wurzel-dev/wurzel/internal/benchpair"
	"github.com/wurzel-dev/wurzel/internal/gwtest"
	"github.com/wurzel-dev/wurzel/runner/s3store"
)

// s3Split tells what of an S3 upload's time is the server's. Client and
// server share the machine's cores, so the benchmark also reports:
//
//   - ms/complete: the median time of the step's CompleteMultipartUpload
//     request, from the last part's arrival to the object's publication:
//     the server's work alone (versitygw's posix back end copies the parts
//     into the object), which the peer's upload of the same file pays too;
//   - server-cpu-ms/subject and server-cpu-ms/peer: the server's CPU time
//     during each side's upload (medians; /proc, 10 ms resolution).
type s3Split struct {
	gw *gwtest.Server

	mu       sync.Mutex
	complete []time.Duration
	server   [2][]time.Duration // peer, subject
}

func newS3Split(gw *gwtest.Server) *s3Split { return &s3Split{gw: gw} }

// client is a new S3 client for the server from environ, as the runner
// makes it (with connections of its own), whose requests the split times.
func (s *s3Split) client(b *testing.B, environ []string) *s3.Client {
	c, err := s3store.NewClient(context.Background(), environ, s3store.Settings{})
	if err != nil {
		b.Fatal(err)
	}
	return s3.New(c.Options(), func(o *s3.Options) {
		o.HTTPClient = completionTimer{s: s, next: o.HTTPClient}
	})
}

// completionTimer records how long each CompleteMultipartUpload takes (a
// POST naming an uploadId; creating an upload posts "uploads" instead).
type completionTimer struct {
	s    *s3Split
	next s3.HTTPClient
}

func (c completionTimer) Do(r *http.Request) (*http.Response, error) {
	t0 := time.Now()
	resp, err := c.next.Do(r)
	if r.Method == http.MethodPost && strings.Contains(r.URL.RawQuery, "uploadId=") {
		c.s.mu.Lock()
		c.s.complete = append(c.s.complete, time.Since(t0))
		c.s.mu.Unlock()
	}
	return resp, err
}

// probe is a rounds.probe: it takes the server's CPU time around a run.
func (s *s3Split) probe(subject bool) func() {
	c0 := s.gw.CPU()
	return func() {
		i := 0
		if subject {
			i = 1
		}
		s.mu.Lock()
		s.server[i] = append(s.server[i], s.gw.CPU()-c0)
		s.mu.Unlock()
	}
}

func (s *s3Split) report(b *testing.B) {
	s.mu.Lock()
	b.ReportMetric(float64(benchpair.Median(s.complete))/1e6, "ms/complete")
	s.mu.Unlock()
	s.reportServer(b)
}

// reportServer reports the server's CPU time alone, for a subject whose
// requests the split cannot see (another process's).
func (s *s3Split) reportServer(b *testing.B) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b.ReportMetric(float64(benchpair.Median(s.server[1]))/1e6, "server-cpu-ms/subject")
	b.ReportMetric(float64(benchpair.Median(s.server[0]))/1e6, "server-cpu-ms/peer")
}
