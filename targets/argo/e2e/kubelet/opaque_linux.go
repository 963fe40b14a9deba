package kubelet

import "golang.org/x/sys/unix"

// setOpaque marks an overlay directory opaque: the lower layers' content of
// the same directory is hidden.
func setOpaque(dir string) error {
	return unix.Setxattr(dir, "trusted.overlay.opaque", []byte("y"), 0)
}
