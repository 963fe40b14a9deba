// Package container is the harness's container runtime: it runs one
// container of a pod as a process in private mount, UTS and PID
// namespaces, the way runc would, so that each container sees the pod's
// volumes at the pod's paths and nothing of the other containers' file
// systems.
//
// The kubelet (package kubelet) writes a Spec and starts the
// wurzel-e2e-container command, in new namespaces, with its path. That
// command (Setup) mounts the image's root file system as an overlay with a
// private writable layer (read-only when the container asks), /proc, a
// minimal /dev, the volumes and the termination-log file, changes root,
// takes the container's user, group and supplementary groups, sets
// no_new_privs when privilege escalation is not allowed, and execs the
// command. A failure to start (a missing command, an argument list too long
// for exec) is written to the start-error pipe and exits 128, which the
// kubelet reports as Kubernetes does: StartError, exit code 128.
//
// The container's command is the first process of its PID namespace: when
// it ends, the kernel kills every process left in the container, as it does
// in a pod. There is no network or cgroup namespace: containers share the
// host's network (the servers of the test listen on 127.0.0.1), and nothing
// limits their CPU or memory.
package container
