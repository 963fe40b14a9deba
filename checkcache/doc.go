// Package checkcache keeps the checked pipeline of `wurzel run` between
// runs, so that a run of an unchanged pipeline does not parse and check it
// again: with 1,000 steps the check takes about 60 ms and reading the
// entry about 3 ms.
//
// An entry (EntryName, in a directory its caller names: `wurzel run`'s is
// cache/ in the run's state directory) holds the IR in a binary
// encoding of its own (codec.go), behind a header of the key and a
// checksum. The key is a digest of all a check reads besides external
// files: the wurzel binary's identity, the working directory, the path,
// the pipeline files' names and contents, and the variables' values. The
// external files the check read or failed to read (variable files, file()
// arguments, also inside try() and can()) and the watched paths it saw are
// recorded by the front end (lang.ExternalFile), which says on every hit
// whether it would still see each the same. Only a check without diagnostics and without
// sensitive variables is kept.
//
// Everything that goes wrong with an entry (missing, damaged, of another
// format or binary) is a miss: the cache can make a run slower, never
// different.
package checkcache
