//go:build !linux

package main

import (
	"os"
	"testing"
)

func limitAddressSpace(uint64) error { return nil }

func maxRSS(*os.ProcessState) int64 { return 0 }

func mkfifo(t *testing.T, _ string) { t.Skip("no FIFOs here") }
