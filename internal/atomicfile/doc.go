// Package atomicfile writes files so that a reader, or a process started
// after a crash, sees either the old content or the new one, never a part:
// the content goes to a temporary file in the same directory, is synced to
// disk, and is then renamed over the final path.
//
// Every place in wurzel that replaces a file others may read at the same
// time (fmt rewriting a pipeline, generate writing its files, the runner's
// local store, the lock of wurzel run, the runner binary copied into a pod)
// writes through this package.
package atomicfile
