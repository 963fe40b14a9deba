//go:build !unix

package storehelper

import "syscall"

func ownGroup() *syscall.SysProcAttr { return nil }
