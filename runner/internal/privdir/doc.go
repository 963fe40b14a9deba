// Package privdir makes private directories for what a runner must write
// but nobody may keep: secret key files read from the environment, a fetch
// helper's temporary files (go-getter writes an address's SSH key to one).
//
// Each directory lives in a per-user area, <base>/wurzel-<uid>, which is
// created with mode 0700 and refused when it is a symbolic link or belongs
// to another user. Beside each directory a lock file is held by the
// process that made it for as long as it runs; the lock goes with the
// process, however it ends. Every New first sweeps the area: a directory
// whose lock nobody holds belongs to a process that died without cleaning
// up, and is removed. So what a killed runner leaves behind lasts until the
// next runner of the same user starts, when the guardian (package guard)
// did not remove it already.
package privdir
