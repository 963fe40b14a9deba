// Package dvcplay plays `dvc repro` on a generated DVC project for tests:
// real DVC cannot be installed here, so it does what DVC does with a
// dvc.yaml (foreach stages expanded into <stage>@<item>, stages in
// dependency order, outs removed before a stage runs, cmd run with sh -c in
// the stage's wdir) and checks what DVC checks (every
// dep exists before the stage, every out after it). The targets/dvc tests
// and the Argo end-to-end harness's three-back-end comparison use it.
package dvcplay
