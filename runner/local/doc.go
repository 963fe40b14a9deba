// Package local is wurzel's embedded local executor, the engine behind
// `wurzel run`. It runs a pipeline's steps on this machine through the same
// runner contract as every other back end, with a spec built with
// backend.StepSpec and a Layout that points into an artifact store. On the
// host the runner runs in this process (runner.Exec, as `wurzel step exec`
// would in the pipeline directory), the command in a process group of its
// own; one guardian (runner.Guardian), started with the first step that
// runs, kills the steps' process groups and removes their private
// directories if wurzel is killed. A process per step, and a guardian per
// step, cost more than the steps of a large pipeline of small commands.
//
// With container isolation (Options.Isolation, or the pipeline's local
// block) the runner runs instead in each step's image, through package
// runner/container, with the step's pod's view: `wurzel step exec` in the
// container, started through the engine; the executor only picks the
// launcher of each attempt (launch.go, isolation.go), and the step's image
// ID joins its fingerprint.
//
// Steps run in dependency order, independent ones in parallel (Options.Jobs
// at a time, in pipeline order). The scheduler checks a ready step itself
// when that reads only the lock and the local store, so that up-to-date
// steps cost no worker; a goroutine looks for the recorded outputs in the
// store ahead of it (presence.go), and the lock may be read while the
// pipeline loads (Options.LockAhead). The instances of a step with for_each are
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
// only after the runner succeeded and its manifest, the runner's commit
// marker, lists every output: appended at once to the lock's journal
// (wurzel.lock.journal, one line per step, fsynced in groups), which
// reading the lock replays; the lock itself is replaced atomically once, at
// the end of the run, and the journal removed. Every run writes under its
// own run id, so a run never overwrites data the lock points at, and a run
// killed at any moment (SIGKILL included) loses no step that succeeded and
// is finished by starting it again.
//
// Store layout (default .wurzel/ beside the pipeline):
//
//	runs/<run-id>/<step>/spec.json        the runner's spec (to run it again by hand)
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
