package gwtest

import (
	"crypto/sha256"
	"os"
	"runtime"
	"testing"
	"time"
)

func TestStatCPU(t *testing.T) {
	// A command name with spaces and a parenthesis, utime 250 and stime 7
	// ticks (fields 14 and 15).
	line := "4242 (versity gw) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 7 0 0 20 0 5 0 12 0 0\n"
	got, err := statCPU(line)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2570 * time.Millisecond; got != want {
		t.Errorf("statCPU = %v, want %v", got, want)
	}
	for _, bad := range []string{"4242 versitygw S 1", "4242 (gw) S 1 2 3", "4242 (gw) S 1 4242 4242 0 -1 4194560 100 0 0 0 x 7 0"} {
		if _, err := statCPU(bad); err == nil {
			t.Errorf("statCPU(%q) gave no error", bad)
		}
	}
}

// TestProcessCPU reads this process's own times while it works: they must
// grow.
func TestProcessCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/PID/stat is Linux's")
	}
	before, err := processCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1<<20)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		for range 20 {
			sha256.Sum256(buf)
		}
		now, err := processCPU(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if now > before {
			return
		}
	}
	t.Fatalf("the CPU time of this busy process stayed at %v for 10s", before)
}
