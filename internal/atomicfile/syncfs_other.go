//go:build !linux

package atomicfile

import "errors"

// syncFSAvailable says whether SyncFS makes a whole file system durable in
// one call.
const syncFSAvailable = false

// SyncFS is syncfs(2), which only Linux has: elsewhere a Batch syncs each
// file.
func SyncFS(string) error { return errors.New("atomicfile: syncfs is not available on this system") }

func syncFileSystems([]string) error { return SyncFS("") }
