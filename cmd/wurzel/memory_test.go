package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// gcPercent reads the collector's setting.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// subcommand returns the command `wurzel NAME`.
func subcommand(name string) *cobra.Command {
	root := &cobra.Command{Use: "wurzel"}
	cmd := &cobra.Command{Use: name}
	root.AddCommand(cmd)
	return cmd
}

// resetGC gives the collector Go's default back when t ends.
func resetGC(t *testing.T) {
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	})
}

// awaitGCPercent collects until the collector's setting is want, as the
// first collection's cleanup makes it, or fails after a few seconds.
func awaitGCPercent(t *testing.T, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for gcPercent() != want {
		if time.Now().After(deadline) {
			t.Fatalf("GC percent %d, want %d after a collection", gcPercent(), want)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

func TestTuneMemoryBatchCommand(t *testing.T) {
	resetGC(t)
	restore := tuneMemory(subcommand("validate"), nil)
	if got := gcPercent(); got != -1 {
		t.Fatalf("GC percent %d before the first collection, want -1 (off until the limit)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != batchMemoryLimit {
		t.Fatalf("memory limit %d, want %d", got, batchMemoryLimit)
	}
	awaitGCPercent(t, batchGCPercent)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit %d after the first collection, want none", got)
	}
	restore()
	if got := gcPercent(); got != 100 {
		t.Errorf("GC percent %d after restore, want Go's default 100", got)
	}
}

// A command that ends before its first collection gets Go's default back,
// and a later collection does not change it.
func TestTuneMemoryRestoredBeforeCollecting(t *testing.T) {
	resetGC(t)
	restore := tuneMemory(subcommand("generate"), nil)
	restore()
	if got, limit := gcPercent(), debug.SetMemoryLimit(-1); got != 100 || limit != math.MaxInt64 {
		t.Fatalf("after restore: GC percent %d, memory limit %d; want 100 and none", got, limit)
	}
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := gcPercent(); got != 100 {
		t.Errorf("GC percent %d after collections that followed restore, want 100", got)
	}
}

// The user's GOGC or GOMEMLIMIT wins, and commands that live long or run
// beside the user's steps keep Go's default.
func TestTuneMemoryLeavesAlone(t *testing.T) {
	for _, c := range []struct {
		name    string
		environ []string
	}{
		{"validate", []string{"GOGC=50"}},
		{"generate", []string{"GOMEMLIMIT=1GiB"}},
		{"lsp", nil},
		{"run", nil},
	} {
		resetGC(t)
		restore := tuneMemory(subcommand(c.name), c.environ)
		if got, limit := gcPercent(), debug.SetMemoryLimit(-1); got != 100 || limit != math.MaxInt64 {
			t.Errorf("%s %v: GC percent %d, memory limit %d; want them untouched", c.name, c.environ, got, limit)
		}
		restore()
	}
}
