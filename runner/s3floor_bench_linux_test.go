package runner

import (
	"crypto/sha256"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wurzel-dev/wurzel/internal/benchpair"
)

// BenchmarkS3ClientFloor256MiB measures the least CPU time a client can
// spend publishing a 256 MiB file to a server on this machine while
// keeping the manifest's promise: read the file once and hash it with
// sha256, and send its bytes to a loopback TCP connection with sendfile,
// on one thread, nothing else (no HTTP, no parts, no process). Its cpu-ms/floor sets the
// bound BenchmarkS3Upload256MiB is read against: on a machine whose cores
// the server shares, the step's upload cannot take less wall time than
// the server's completion (ms/complete) plus half of the rest of the CPU
// time the two spend (server-cpu-ms/subject less the completion, plus
// this floor) on two cores. The sink's own reads, on another thread, are
// the server's share and not counted.
func BenchmarkS3ClientFloor256MiB(b *testing.B) {
	const size = 256 << 20
	src := filepath.Join(b.TempDir(), "big.bin")
	writePseudoRandomFile(b, src, size)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	go discardConnections(l)
	var cpu, wall []time.Duration
	run := func() {
		c, w := floorUpload(b, src, l.Addr().String())
		cpu, wall = append(cpu, c), append(wall, w)
	}
	for b.Loop() {
		for range roundsPerOp {
			run()
		}
	}
	for len(cpu) < minLargeFileRounds {
		run()
	}
	b.ReportMetric(float64(benchpair.Median(cpu))/1e6, "cpu-ms/floor")
	b.ReportMetric(float64(benchpair.Median(wall))/1e6, "ms/floor")
}

// discardConnections reads every connection l accepts to its end.
func discardConnections(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			_, _ = io.Copy(io.Discard, c)
			c.Close()
		}()
	}
}

// floorUpload hashes src and sends it to addr, on a thread of its own, and
// returns that thread's CPU time and the wall time. Each MiB is read and
// hashed, then sent with sendfile from a second descriptor of the file,
// from the page cache, as the store sends a part over plain HTTP: the read
// for the hash is the one copy of the bytes the client makes.
func floorUpload(b *testing.B, src, addr string) (cpu, wall time.Duration) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	c0, t0 := threadCPU(b), time.Now()
	f, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	g, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	sock := conn.(*net.TCPConn)
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			h.Write(buf[:n])
			if _, werr := sock.ReadFrom(&io.LimitedReader{R: g, N: int64(n)}); werr != nil {
				b.Fatal(werr)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := conn.Close(); err != nil {
		b.Fatal(err)
	}
	h.Sum(nil)
	return threadCPU(b) - c0, time.Since(t0)
}

// threadCPU is the calling thread's CPU time, user and system.
func threadCPU(b *testing.B) time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
