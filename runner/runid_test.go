package runner

import (
	"regexp"
	"testing"
	"time"
)

// TestNewRunID: a UTC timestamp and eight hex digits that tell runs of the
// same second apart.
func TestNewRunID(t *testing.T) {
	now := time.Date(2026, 12, 1, 18, 4, 5, 0, time.FixedZone("CET", 3600))
	shape := regexp.MustCompile(`^20261201T170405Z-[0-9a-f]{8}$`)
	seen := map[string]bool{}
	for range 100 {
		id := NewRunID(now)
		if !shape.MatchString(id) {
			t.Fatalf("NewRunID = %q, want the UTC time and eight hex digits", id)
		}
		seen[id] = true
	}
	if len(seen) < 100 {
		t.Errorf("100 run ids of the same second hold only %d different ones", len(seen))
	}
}
