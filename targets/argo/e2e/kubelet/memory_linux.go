package kubelet

import (
	"fmt"

	"golang.org/x/sys/unix"
	"k8s.io/apimachinery/pkg/api/resource"
)

// mountMemory mounts a tmpfs on dir, as the kubelet backs an emptyDir of
// medium Memory, of at most sizeLimit bytes when the volume sets one.
func mountMemory(dir string, sizeLimit *resource.Quantity) error {
	opts := "mode=0777"
	if sizeLimit != nil {
		opts += fmt.Sprintf(",size=%d", sizeLimit.Value())
	}
	return unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, opts)
}

// unmountMemory takes the tmpfs off dir, and with it the volume's files.
// Detached: a process the pod left may still hold a file open there.
func unmountMemory(dir string) error {
	return unix.Unmount(dir, unix.MNT_DETACH)
}
