package local

import "syscall"

// stepProcAttr starts a step's runner in a new process group, so that a
// console's Ctrl-C reaches the executor alone and the executor decides how
// to stop the steps.
func stepProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}
