// Package podmantest gives tests a real podman with a storage of its own
// (a temporary directory, named by CONTAINERS_STORAGE_CONF) holding the
// images they need, built offline: a busybox image from Debian's
// busybox-static package and a Python image made with mmdebstrap through
// the machine's apt sources. Neither has a shell at /bin/sh or wurzel.
//
// The image files are built once and cached (WURZEL_TEST_CACHE, else the
// user's cache directory, under wurzel-test); each test binary imports them
// into its own storage, so that `podman ps -a` there sees only its own
// containers. Tests skip without podman, apt-get, dpkg or mmdebstrap,
// unless CI is set: then they fail (.ci/run installs them).
//
// The flags some machines need on every `podman run` come from
// WURZEL_CONTAINER_FLAGS; when it is unset and a plain run fails, the
// package tries `--runtime runc` with lower ulimits (what a VM whose cgroup
// set-up crun refuses needs) and uses them when they work.
package podmantest
