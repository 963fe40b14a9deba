package datapath

import (
	"crypto/sha256"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHashRange hashes a file in ranges, as HashBehind does while a large
// output is copied, and compares the digest with one of the whole content.
func TestHashRange(t *testing.T) {
	data := make([]byte, 3*Chunk+12345)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Whole, one chunk, a tail shorter than the buffer, empty, and ranges
	// that start and end inside the buffer's size.
	for _, r := range [][2]int64{
		{0, int64(len(data))}, {Chunk, 2 * Chunk}, {3 * Chunk, int64(len(data))}, {0, 0},
		{1, hashBuf + 1}, {hashBuf - 7, 3*hashBuf + 5}, {int64(len(data)) - 1, int64(len(data))},
	} {
		h := sha256.New()
		var buf []byte
		if err := HashRange(h, f, r[0], r[1], &buf); err != nil {
			t.Fatalf("[%d, %d): %v", r[0], r[1], err)
		}
		want := sha256.Sum256(data[r[0]:r[1]])
		if got := h.Sum(nil); string(got) != string(want[:]) {
			t.Errorf("[%d, %d): sha256 %x, want %x", r[0], r[1], got, want)
		}
	}
}

// TestHashRangeShrunkFile: a range past the end of the file (one that
// shrank after it was copied) is an error saying so.
func TestHashRangeShrunkFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, []byte("short"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf []byte
	if err := HashRange(sha256.New(), f, 0, 1<<20, &buf); err == nil || !strings.Contains(err.Error(), "changed while it was copied") {
		t.Errorf("hashing past the end: %v, want an error saying the file changed", err)
	}
}
