// Package guard makes what a runner starts and writes end with it, even
// when the runner is killed with SIGKILL and can clean up nothing itself.
//
// A runner starts a guardian: a copy of its own executable, which the init
// function of package guardian (imported here) turns into the guardian
// before main runs, so that every binary that links the runner (wurzel,
// the test binaries, a Go program using runner.Exec) can be one without
// knowing it. The runner gives it the lowest priority. The runner tells
// the guardian, over a pipe, which process groups to kill and which paths
// to remove. When the runner ends normally it says so and the guardian
// exits. When the runner dies, the kernel closes its end of the pipe and
// the guardian, which runs in its own process group so that a signal to the
// runner's group does not reach it, sends SIGKILL to every group still
// registered and removes every registered path.
//
// Linux's parent-death signal reaches only a process's direct child: a
// command's own children would live on with init as their parent. A
// process that leaves its process group (setsid, setpgid) is beyond the
// guardian too, as it is beyond the runner's signals.
package guard
