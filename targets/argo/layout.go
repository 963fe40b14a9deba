package argo

import (
	"path"

	"github.com/wurzel-dev/wurzel/ir"
)

// Where things live inside a step's pod. Everything wurzel adds sits under
// /wurzel so that it never collides with the user's image or mounts.
const (
	// runnerBinDir is the shared emptyDir the init container fills with the
	// step runner wurzel-step (and the fetch helper beside it); the main
	// container mounts it read-only.
	runnerBinDir = "/wurzel/bin"
	runnerName   = "wurzel-step"
	runnerPath   = runnerBinDir + "/" + runnerName
	// initBinDir is where the init container mounts the same emptyDir: the
	// runner image has its binary at /wurzel, so /wurzel/bin cannot exist
	// there.
	initBinDir = "/wurzel-bin"
	// runnerImageBinary is the path of wurzel inside the runner image,
	// whose copy-binary fills runnerBinDir.
	runnerImageBinary = "/wurzel"
	// workDir is the step's work directory: an emptyDir, so that Argo's
	// wait container can collect outputs from it and place inputs in it.
	workDir = "/wurzel/work"
	// metaDir holds the step's own manifest and the manifests of its inputs.
	metaDir      = "/wurzel/meta"
	manifestPath = metaDir + "/manifest.json"
	// specPath is the step spec, delivered as the raw input artifact
	// specArtifactName.
	specPath         = metaDir + "/spec.json"
	specArtifactName = "wurzel_spec"

	// Names of the volumes wurzel adds. User secrets and volumes get the
	// prefixes below, so no user name can collide with these or with
	// Argo's own (var-run-argo, tmp-dir-argo, input-artifacts, ...).
	binVolume          = "wurzel-bin"
	workVolume         = "wurzel-work"
	metaVolume         = "wurzel-meta"
	secretVolumePrefix = "secret-"
	userVolumePrefix   = "volume-"

	// manifestArtifact is the output artifact carrying a step's manifest;
	// inputManifestSuffix names the input artifact that receives a
	// producer's manifest. IR names never contain "_", so neither can clash
	// with an input or output name.
	manifestArtifact    = "wurzel_manifest"
	inputManifestSuffix = "_manifest"

	// entrypointName is the DAG template every workflow starts at.
	entrypointName = "main"
)

// layout is the backend.Layout of Argo pods: Argo's executor places inputs
// at their paths and collects outputs from the work directory, so the runner
// only runs the command, checks the contract and writes the manifest.
type layout struct{}

func (layout) Workdir(*ir.Step) string                               { return workDir }
func (layout) OutputLocation(*ir.Step, *ir.Output) string            { return "" }
func (layout) ManifestLocation(*ir.Step) string                      { return manifestPath }
func (layout) InputLocation(*ir.Step, *ir.Input, ir.Producer) string { return "" }
func (layout) VolumePath(v *ir.Volume) string                        { return v.MountPath }

// VolatileManifest: the manifest's directory is an emptyDir of the step's
// pod, which Argo's wait container reads when the command ends and which
// no crash of the node outlives, so the runner does not sync it.
func (layout) VolatileManifest(*ir.Step) bool { return true }

// Contained: the runner runs in the pod's main container under Argo's
// executor (the emissary), which exits when the runner does; the
// container's end then kills whatever the command left running (its
// first process ends, and the kernel kills the rest of its PID namespace;
// in a pod that shares one, the container runtime kills the container's
// processes) and discards its file system. A guardian beside the runner
// would only repeat that, at a process start per step.
func (layout) Contained(*ir.Step) bool { return true }

// InputManifest is where a consumer receives the producer's manifest: for a
// fan-in input, the manifests of every instance arrive as one directory,
// one file per key.
func (layout) InputManifest(_ *ir.Step, in *ir.Input, from ir.Producer) string {
	if in.FanIn != nil {
		return path.Join(inputManifestDir(in), from.Key)
	}
	return inputManifestPath(in)
}

func (layout) SecretMount(sec *ir.Secret) (string, map[string]string) {
	return sec.MountPath, nil
}

// inputManifestPath is where a consumer receives the manifest of the step
// that produced input in.
func inputManifestPath(in *ir.Input) string {
	return path.Join(inputManifestDir(in), "manifest.json")
}

// inputManifestDir holds the manifests of input in's producers.
func inputManifestDir(in *ir.Input) string {
	return path.Join(metaDir, "inputs", in.Name)
}

func secretVolumeName(name string) string { return secretVolumePrefix + name }
func userVolumeName(name string) string   { return userVolumePrefix + name }
