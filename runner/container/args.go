package container

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/internal/kube"
	"github.com/wurzel-dev/wurzel/ir"
)

// runArgs is the engine's `run` command line for an attempt.
func (r *Runtime) runArgs(s *ir.Step, st *Step, img *Image, sec backend.Security, mounts []Mount, runID string) ([]string, error) {
	e := r.engine
	a := []string{"run", "--rm", "--name", st.Name, "--pull", "never",
		"--label", "dev.wurzel.run=" + runID,
		"--label", "dev.wurzel.pipeline=" + r.p.Name,
		"--label", "dev.wurzel.step=" + s.Name,
		"--label", "dev.wurzel.image=" + s.Image,
	}
	a = append(a, userArgs(e.Kind, r.owner, sec)...)
	a = append(a, "--cap-drop", "ALL", "--security-opt", "no-new-privileges")
	if sec.ReadOnlyRoot {
		a = append(a, "--read-only")
		if e.Kind == Podman {
			// A pod's read-only root has no writable /tmp either.
			a = append(a, "--read-only-tmpfs=false")
		}
	}
	if r.cfg.Network != "" {
		a = append(a, "--network", r.cfg.Network)
	}
	a = append(a, resourceArgs(e.Kind, s.Resources)...)
	for _, m := range mounts {
		arg, err := mountArg(m)
		if err != nil {
			return nil, err
		}
		a = append(a, "--mount", arg)
	}
	for _, name := range storeEnv(st, r.environ) {
		// By name only: the engine copies the value from its own
		// environment, so that no credential shows in a process list.
		a = append(a, "--env", name)
	}
	a = append(a, "--workdir", r.p.Dir, "--entrypoint", RunnerPath)
	a = append(a, e.Flags...)
	a = append(a, img.ID, "step", "exec", "--spec", specPath, "--run-id", runID)
	return a, nil
}

// userArgs make the container's processes run as sec says. Rootless podman
// maps the user running wurzel to the step's user (keep-id), so that what
// the step writes on the host belongs to that user.
func userArgs(kind Kind, owner ownership, sec backend.Security) []string {
	a := []string{"--user", fmt.Sprintf("%d:%d", sec.UID, sec.GID)}
	if sec.FSGroup != sec.GID {
		a = append(a, "--group-add", strconv.FormatInt(sec.FSGroup, 10))
	}
	if owner == sharedUser && kind == Podman {
		a = append(a, "--userns", fmt.Sprintf("keep-id:uid=%d,gid=%d", sec.UID, sec.GID))
	}
	return a
}

// resourceArgs map a step's resources as its pod has them: the CPU request
// as a CPU weight (Kubernetes' shares: 1024 per CPU), memory as a hard
// limit without swap, GPUs as devices (podman: CDI names; docker: --gpus).
// Ephemeral storage is not limited.
func resourceArgs(kind Kind, res ir.Resources) []string {
	var a []string
	if milli, ok := kube.QuantityMilli(res.CPU); ok && milli > 0 {
		a = append(a, "--cpu-shares", strconv.FormatInt(max(2, milli*1024/1000), 10))
	}
	if milli, ok := kube.QuantityMilli(res.Memory); ok && milli > 0 {
		bytes := strconv.FormatInt((milli+999)/1000, 10)
		a = append(a, "--memory", bytes, "--memory-swap", bytes)
	}
	if res.GPU > 0 {
		if kind == Docker {
			a = append(a, "--gpus", strconv.Itoa(res.GPU))
		} else {
			for i := 0; i < res.GPU; i++ {
				a = append(a, "--device", "nvidia.com/gpu="+strconv.Itoa(i))
			}
		}
	}
	return a
}

// mountArg is a bind mount in --mount's syntax, which both engines read.
// Its fields are separated by commas and cannot quote one.
func mountArg(m Mount) (string, error) {
	for _, p := range []string{m.Source, m.Target} {
		if strings.ContainsAny(p, ",\n") {
			return "", fmt.Errorf("cannot mount %q into a container: the path contains a comma", p)
		}
	}
	if m.Tmpfs {
		return "type=tmpfs,destination=" + m.Target + ",tmpfs-mode=0555", nil
	}
	arg := "type=bind,source=" + m.Source + ",destination=" + m.Target
	if m.ReadOnly {
		arg += ",readonly"
	}
	return arg, nil
}

// s3Env are the variables the runner reads to reach S3 (docs/runtime.md, S3
// configuration).
var s3Env = []string{
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL",
}

// storeEnv are the names of the S3 variables set in environ, when the
// step's runner reads or writes S3: a container gets nothing else of the
// host's environment.
func storeEnv(st *Step, environ []string) []string {
	if !usesS3(st) {
		return nil
	}
	var names []string
	for _, name := range s3Env {
		for _, kv := range environ {
			if strings.HasPrefix(kv, name+"=") {
				names = append(names, name)
				break
			}
		}
	}
	return names
}

func usesS3(st *Step) bool {
	sp := st.Spec
	if isS3(sp.Manifest) {
		return true
	}
	for _, o := range sp.Outputs {
		if isS3(o.Location) {
			return true
		}
	}
	for _, in := range sp.Inputs {
		if in.From != nil && (isS3(in.From.Location) || isS3(in.From.Manifest)) {
			return true
		}
	}
	return false
}
