// Package local is wurzel's embedded local executor, the engine behind
// `wurzel run`. It runs a pipeline's steps on this machine through the same
// runner contract as every other back end: each step is a subprocess
// `wurzel step exec --spec FILE --run-id ID`, started with the pipeline
// directory as its working directory, whose spec is built with
// backend.StepSpec and a Layout that points into an artifact store.
//
// With container isolation (Options.Isolation, or the pipeline's local
// block) the runner runs instead in each step's image, through package
// runner/container, with the step's pod's view; the executor only picks
// the launcher of each attempt (launch.go, isolation.go), and the step's
// image ID joins its fingerprint.
//
// Steps run in dependency order, independent ones in parallel (Options.Jobs
// at a time, in pipeline order). The instances of a step with for_each are
// steps of their own (<step>-<key>): they run in parallel and are cached
// one by one. GPUs are scheduled as Kubernetes does: a step declaring n
// starts when n of Options.GPUs are free and sees exactly those in
// CUDA_VISIBLE_DEVICES; a step declaring none sees none. Without KeepGoing the first failure stops
// new steps from starting; with it, everything not downstream of a failure
// still runs. Steps with a retry block are retried as Argo would.
//
// Runs are incremental. A step's fingerprint is the digest of its command,
// env and settings, its image, secret and volume names, its declared
// outputs, its watched files and the content of every input: for `from`
// inputs the producer's manifest digests, for local `source` inputs the
// files themselves, for remote ones their ?checksum= or the full git commit
// id of their ?ref= (a remote source with neither cannot be compared and
// always runs, as does a step with always_run). A step whose fingerprint
// equals the one of its last successful run, and whose outputs are still in
// the store, is skipped, and its consumers read that run's outputs. A step
// that re-runs and produces identical outputs lets its consumers skip.
//
// The state lives in a lock file (wurzel.lock beside the pipeline): JSON,
// sorted, digests and names only, never a secret value. A step is recorded
// only after the runner exited successfully and its manifest, the runner's
// commit marker, lists every output; the file is replaced atomically. Every
// run writes under its own run id, so a run never overwrites data the lock
// points at, and a run killed at any moment (SIGKILL included) is finished
// by starting it again.
//
// Store layout (default .wurzel/ beside the pipeline):
//
//	runs/<run-id>/<step>/spec.json        the runner's spec
//	runs/<run-id>/<step>/work/            the work directory (kept on failure)
//	runs/<run-id>/<step>/outputs/<name>   published outputs
//	runs/<run-id>/<step>/manifest.json    the commit marker
//	runs/<run-id>/<step>/stdout.log       the step's output streams
//	runs/<run-id>/<step>/stderr.log
//	volumes/<name>/                       volumes without a local dir
//
// With an S3 store (s3://bucket/prefix) outputs and manifests go to the
// bucket under the same keys, the rest stays in .wurzel/. After a run, the
// local directories of runs the lock no longer points at are removed.
package local
