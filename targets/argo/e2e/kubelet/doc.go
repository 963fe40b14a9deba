// Package kubelet plays the kubelet for the Argo end-to-end harness: it runs
// every pod the workflow controller creates, container by container in the
// order a kubelet does (init containers one after the other, then the
// regular containers together), each through the harness's container
// runtime (package container), and reports the pod's status as Kubernetes
// would, so that Argo's controller reads real exit codes and messages.
//
// What it does as the kubelet does:
//   - volumes: emptyDir (0777; of medium Memory a tmpfs, with the
//     sizeLimit as its size, unmounted when the pod ends), secret and
//     configMap volumes in the atomic writer's layout (files under a
//     timestamped directory, ..data pointing at it, each key a link through
//     ..data) with defaultMode and items,
//     projected service-account tokens, persistentVolumeClaims as
//     directories that outlive the pod; with an fsGroup, volume ownership
//     goes to that group as SetVolumeOwnership does (group rw, or r for
//     read-only volumes, and setgid on directories);
//   - a missing Secret, ConfigMap or claim keeps the pod Pending with a
//     FailedMount event; an image that cannot be pulled keeps its container
//     Waiting in ErrImagePull;
//   - environment: image PATH, service variables of the API server, the
//     container's env with $(VAR) expansion and valueFrom fieldRef,
//     secretKeyRef and configMapKeyRef; HOSTNAME;
//   - identity: runAsUser/runAsGroup of the container or else the pod, the
//     fsGroup and supplementalGroups as supplementary groups, runAsNonRoot
//     refused for user 0, allowPrivilegeEscalation false as no_new_privs,
//     readOnlyRootFilesystem;
//   - status: Waiting, Running and Terminated states with exit codes,
//     reasons (Completed, Error, StartError) and the termination message
//     (/dev/termination-log, or the end of the log with
//     FallbackToLogsOnError); the pod's phase; activeDeadlineSeconds, after
//     which the pod fails with reason DeadlineExceeded.
//
// Images are directories (see Images): the runner image extracted from the
// OCI archive `make image` builds, Argo's executor image holding the
// argoexec binary, and the host's own root file system standing in for every
// step image.
package kubelet
