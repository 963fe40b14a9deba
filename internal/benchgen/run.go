package benchgen

import (
	"testing"

	"github.com/wurzel-dev/wurzel/internal/benchpair"
)

// Run runs fn on src as the sub-benchmark name, with its allocations and
// its process CPU time per operation (cpu-ns/op, the garbage collector's
// included), which stays comparable on a busy machine where ns/op does not.
func Run(b *testing.B, name string, src []byte, fn func(b *testing.B, src []byte)) {
	b.Run(name, func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		start := benchpair.CPU()
		fn(b, src)
		if cpu := benchpair.CPU() - start; cpu > 0 {
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	})
}
