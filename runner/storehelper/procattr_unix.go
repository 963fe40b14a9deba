//go:build unix

package storehelper

import "syscall"

// ownGroup puts the helper in a process group of its own: a Ctrl-C meant
// for the runner's group must not kill the helper under an upload the
// runner still waits for. It ends with its stdin.
func ownGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
