// Package local is wurzel's embedded local executor, the engine behind
// `wurzel run`. It runs a pipeline's steps on this machine through the same
// runner contract as every other back end: each step is a subprocess
// `wurzel step exec --spec FILE --run-id ID` whose spec is built with
// compiler.StepSpec and a Layout that points into a local artifact store.
//
// Steps run in dependency order, independent ones in parallel. Runs are
// incremental: a step whose command, image, env, settings, secret names,
// volumes, watched files and input contents are those of its last successful
// run is skipped, and its consumers read that run's outputs. The state lives
// in a lock file (wurzel.lock) beside the pipeline, written atomically and
// only after a step's manifest, the runner's commit marker, exists, so that a
// run killed at any moment (SIGKILL included) can simply be started again.
//
// Store layout (default .wurzel/ beside the pipeline):
//
//	runs/<run-id>/<step>/spec.json        the runner's spec
//	runs/<run-id>/<step>/work/            the step's work directory
//	runs/<run-id>/<step>/outputs/<name>   published outputs
//	runs/<run-id>/<step>/manifest.json    the commit marker
//	runs/<run-id>/<step>/stdout.log       the step's output streams
//	runs/<run-id>/<step>/stderr.log
//
// Every run writes under its own run id, so a run never overwrites data that
// the lock file points at.
package local
