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
// a changed command, env or setting re-runs the stage. Variables that can
// be set at run time are params: the spec names them, and the runner reads
// their values from params.yaml when the stage runs, so `dvc exp run -S`
// reaches the step. A step's dvc block makes outputs metrics or plots.
//
// The runner resolves the pipeline's relative paths (secret directories,
// local sources) against the directory it starts in, and DVC starts each
// stage in the dvc.yaml's directory or the stage's wdir. The files therefore
// go into the pipeline's directory, or into a directory above it with every
// stage's wdir pointing back at the pipeline directory.
package dvc
