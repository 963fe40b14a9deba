//go:build !linux

package runner

import "testing"

// memoryDir is a directory in TMPDIR: the benchmarks' tmpfs is Linux's
// /dev/shm.
func memoryDir(b *testing.B) string {
	b.Log("no tmpfs: the pod's files are in TMPDIR")
	return b.TempDir()
}
