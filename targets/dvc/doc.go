// Package dvc lowers a wurzel pipeline to a DVC project: a dvc.yaml with one
// stage per step, an optional params.yaml holding the pipeline's
// non-sensitive variables, and one runner step spec per step.
//
// DVC has no per-stage environment, secrets or downloads of its own, so every
// stage runs `wurzel step exec --spec FILE`: the runner gives the command its
// env, settings, secrets (from each secret's `local` source) and go-getter
// inputs exactly as it does under Argo or `wurzel run`. The stage's deps and
// outs tell DVC what the runner reads and writes: outputs live at
// <data_dir>/<step>/<output> beside the step's manifest, inputs are read from
// where their producer put them, and the step spec file is itself a dep, so
// a changed command, env or setting re-runs the stage.
//
// The generated files are meant to sit in the pipeline's directory: DVC runs
// each stage with the dvc.yaml's directory as its working directory, and the
// runner resolves the pipeline's relative paths (secret directories, local
// sources) against it.
package dvc
