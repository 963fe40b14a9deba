// Package container runs the steps of `wurzel run --isolation container`:
// each step in its own image, through the container engine the user has
// (podman or docker, driven through its command line), with the view a
// step has in its pod.
//
// The runner contract does not change: the container's entrypoint is the
// host's own wurzel binary, mounted read-only at /wurzel/bin/wurzel (its
// fetch helper beside it), running `wurzel step exec` on a spec whose paths
// are the container's. The image needs neither a shell nor wurzel. Inside
// the container a step sees only what its pod would:
//
//	/wurzel/bin/wurzel, wurzel-fetch   the runner, read-only
//	/wurzel/step/                      the step's directory of this run: spec.json,
//	                                   work/ (the work directory), outputs/, manifest.json
//	/wurzel/inputs/<input>/data        a producer's output, read-only
//	/wurzel/inputs/<input>/manifest.json  and its manifest, read-only
//	/wurzel/inputs/<input>/<key>/...   the same for each instance a fan-in gathers
//	<secret mount_path>/<key>          key files, read-only, mode 0440
//	<volume mount_path>                the volume's local directory
//	<pipeline dir>/<local source>      a local `source` input, read-only, at its
//	                                   host path (the runner's working directory
//	                                   is the pipeline directory's path)
//
// The step runs as the user its pod would (backend.SecurityDecider, 65532
// by default), without capabilities and with no-new-privileges; memory is
// limited, CPU weighted by the step's resources; images are never pulled,
// and run by the image ID they resolved to when the run began, so that what
// ran is what the step's fingerprint recorded.
package container
