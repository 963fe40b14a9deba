// Package spawn starts a process with one fork and exec and reaps it,
// without package os/exec, for the two processes every step's runner
// starts on its way to the command: the guardian and the command itself.
//
// The first process a Go program starts through os.StartProcess (which
// os/exec uses) costs more than the others: package os first checks that
// the kernel's pidfd calls work, and one of its checks starts and reaps a
// child of its own. On the 2-vCPU VMs of the benchmarks that was 0.2 to 0.6
// ms of every step's start (BenchmarkStepProcessPod), for a handle the
// runner does not need: it signals the command's process group and reaps
// its leader itself, and the leader's id cannot be reused before that.
//
// Start takes the runner's standard streams as files, as a command that
// writes to the step's own output needs; a stream that must be copied
// through a pipe (a buffer, a prefixing writer) is os/exec's job.
package spawn
