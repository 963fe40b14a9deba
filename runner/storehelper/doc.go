// Package storehelper runs an object store (objstore.Store) in a helper
// process, so that a program that only sometimes touches an s3:// location
// does not link the store's SDK and pay for its initialisation at every
// start. The AWS SDK's package initialisation and the pages it touches
// cost `wurzel` 1.2 ms of every start, most of what it took beyond the
// runner's own; wurzel and wurzel-step reach S3 through the helper
// (wurzel-fetch -store s3), started when a step or a run first needs it and
// kept for the process's life.
//
// Client is the store's side in the runner, Serve the helper's. They speak
// the protocol Version: JSON values, one per line, on the helper's stdin
// and stdout. The helper first writes {"version": Version}; each request
// carries an id its answer repeats, several may be in flight at once, and
// {"id": N, "op": "cancel"} cancels request N, which still gets its
// answer. Paths in requests are absolute. The helper ends when its stdin
// does, after the requests in flight have stopped: a runner killed with
// SIGKILL leaves no helper behind, and a multipart upload it started is
// still aborted.
package storehelper
