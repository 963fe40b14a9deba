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
	for _, h := range []struct {
		name string
		fn   func(f *os.File, off, end int64) ([]byte, error)
	}{
		{"mapped", func(f *os.File, off, end int64) ([]byte, error) {
			h := sha256.New()
			var buf []byte
			err := HashRange(h, f, off, end, &buf)
			return h.Sum(nil), err
		}},
		{"read", func(f *os.File, off, end int64) ([]byte, error) {
			h := sha256.New()
			var buf []byte
			err := readRange(h, f, off, end, &buf)
			return h.Sum(nil), err
		}},
	} {
		for _, r := range [][2]int64{{0, int64(len(data))}, {Chunk, 2 * Chunk}, {3 * Chunk, int64(len(data))}, {0, 0}} {
			got, err := h.fn(f, r[0], r[1])
			if err != nil {
				t.Fatalf("%s [%d, %d): %v", h.name, r[0], r[1], err)
			}
			want := sha256.Sum256(data[r[0]:r[1]])
			if string(got) != string(want[:]) {
				t.Errorf("%s [%d, %d): sha256 %x, want %x", h.name, r[0], r[1], got, want)
			}
		}
	}
}

// TestHashRangeShrunkFile: a range past the end of the file (one that
// shrank after it was copied) is an error, not a crash of the runner: the
// mapped hash touches pages past the end, which the kernel answers with
// SIGBUS.
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
	for name, fn := range map[string]func() error{
		"mapped": func() error { var buf []byte; return HashRange(sha256.New(), f, 0, 1<<20, &buf) },
		"read":   func() error { var buf []byte; return readRange(sha256.New(), f, 0, 1<<20, &buf) },
	} {
		if err := fn(); err == nil || !strings.Contains(err.Error(), "changed while it was copied") {
			t.Errorf("%s: hashing past the end: %v, want an error saying the file changed", name, err)
		}
	}
}
