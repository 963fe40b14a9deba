package container

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/ir"
)

// Where things live inside a step's container. Everything wurzel adds sits
// under /wurzel, as in a pod, so that it never meets the image's files or
// the user's mounts.
const (
	binDir = "/wurzel/bin"
	// RunnerPath is the runner inside the container: the host's wurzel.
	RunnerPath = binDir + "/wurzel"
	fetchPath  = binDir + "/wurzel-fetch"
	// stepDir is the step's directory of this run, with its spec, work
	// directory, outputs and manifest.
	stepDir  = "/wurzel/step"
	specPath = stepDir + "/spec.json"
	// inputsDir holds the producers' outputs and manifests, read-only.
	inputsDir = "/wurzel/inputs"
)

// Mount is a host path bound into the container, or, with Tmpfs, an
// empty directory that only root may write (Source is then empty).
type Mount struct {
	Source, Target string
	ReadOnly       bool
	Tmpfs          bool
}

// secretSource is a secret the container gets as files: where its keys
// are on the host (a directory, or environment variables).
type secretSource struct {
	secret  *ir.Secret
	dir     string
	fromEnv map[string]string
}

// layout is the backend.Layout of a step in its container. It wraps the
// executor's layout: each host location that layout gives becomes the
// location inside the container, and the mount that puts it there is
// recorded. S3 locations pass through unchanged.
type layout struct {
	host     backend.Layout
	hostStep string // the step's directory of this run on the host
	mounts   []Mount
	secrets  []secretSource
	volumes  []string // host directories of read-write volumes
	err      error
}

// inStep maps a host path inside the step's directory to the container's.
func (l *layout) inStep(hostPath string) string {
	if hostPath == "" || isS3(hostPath) {
		return hostPath
	}
	rel, err := filepath.Rel(l.hostStep, hostPath)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		l.fail("%s is outside the step's directory %s", hostPath, l.hostStep)
		return hostPath
	}
	return path.Join(stepDir, filepath.ToSlash(rel))
}

func (l *layout) fail(format string, args ...any) {
	if l.err == nil {
		l.err = fmt.Errorf(format, args...)
	}
}

func (l *layout) mount(source, target string, readOnly bool) string {
	l.mounts = append(l.mounts, Mount{Source: source, Target: target, ReadOnly: readOnly})
	return target
}

func (l *layout) Workdir(s *ir.Step) string { return l.inStep(l.host.Workdir(s)) }

func (l *layout) OutputLocation(s *ir.Step, out *ir.Output) string {
	return l.inStep(l.host.OutputLocation(s, out))
}

func (l *layout) ManifestLocation(s *ir.Step) string { return l.inStep(l.host.ManifestLocation(s)) }

func (l *layout) InputLocation(s *ir.Step, in *ir.Input, from ir.Producer) string {
	loc := l.host.InputLocation(s, in, from)
	if loc == "" || isS3(loc) {
		return loc
	}
	return l.mountStored(loc, path.Join(producerDir(in, from), "data"))
}

func (l *layout) InputManifest(s *ir.Step, in *ir.Input, from ir.Producer) string {
	loc := l.host.InputManifest(s, in, from)
	if loc == "" || isS3(loc) {
		return loc
	}
	return l.mountStored(loc, path.Join(producerDir(in, from), "manifest.json"))
}

// producerDir is where the container sees what one producer of input in
// left: /wurzel/inputs/<input>, or /wurzel/inputs/<input>/<key> for each
// instance a fan-in gathers.
func producerDir(in *ir.Input, from ir.Producer) string {
	if from.Key == "" {
		return path.Join(inputsDir, in.Name)
	}
	return path.Join(inputsDir, in.Name, from.Key)
}

// mountStored mounts, read-only, what a producer's container left in the
// store. That container could write there, so neither the path nor its
// parent may be a symbolic link: the engine would follow it on the host
// and show the consumer a host directory.
func (l *layout) mountStored(loc, target string) string {
	for _, p := range []string{loc, filepath.Dir(loc)} {
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			l.fail("refusing to mount %s into a container: %s is a symbolic link", loc, p)
		}
	}
	return l.mount(loc, target, true)
}

// SecretMount is the secret's mount_path, as in a pod: the key files are
// staged there from the host's directory or environment, whichever the
// secret's local block names.
func (l *layout) SecretMount(sec *ir.Secret) (string, map[string]string) {
	dir, fromEnv := l.host.SecretMount(sec)
	l.secrets = append(l.secrets, secretSource{secret: sec, dir: dir, fromEnv: fromEnv})
	return sec.MountPath, nil
}

func (l *layout) VolumePath(v *ir.Volume) string {
	dir := l.host.VolumePath(v)
	if !v.ReadOnly {
		l.volumes = append(l.volumes, dir)
	}
	return l.mount(dir, v.MountPath, v.ReadOnly)
}

func isS3(loc string) bool { return strings.HasPrefix(loc, "s3://") }
