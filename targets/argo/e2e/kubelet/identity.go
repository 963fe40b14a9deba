package kubelet

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"

	corev1 "k8s.io/api/core/v1"

	"github.com/wurzel-dev/wurzel/targets/argo/e2e/container"
)

// containerSpec is what the runtime needs to start c from img.
func (r *podRun) containerSpec(ctx context.Context, c *corev1.Container, img Image) (*container.Spec, error) {
	env, err := r.k.containerEnv(ctx, r.pod, c)
	if err != nil {
		return nil, err
	}
	uid, gid, groups := identity(r.pod, c, img)
	if sc := effectiveNonRoot(r.pod, c); sc && uid == 0 {
		return nil, fmt.Errorf("container has runAsNonRoot and image will run as root (pod: %q, container: %s)", r.pod.Name, c.Name)
	}
	scratch := filepath.Join(r.dir, "containers", c.Name)
	if err := os.RemoveAll(scratch); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(scratch, 0o700); err != nil {
		return nil, err
	}
	termLog := filepath.Join(scratch, "termination-log")
	if err := os.WriteFile(termLog, nil, 0o666); err != nil {
		return nil, err
	}
	if err := os.Chmod(termLog, 0o666); err != nil {
		return nil, err
	}
	spec := &container.Spec{
		Lower: img.Lower, Scratch: scratch, TerminationLog: termLog, Hostname: r.pod.Name,
		UID: uint32(uid), GID: uint32(gid), Groups: groups, Env: env,
		WorkingDir: c.WorkingDir, Args: append(append([]string(nil), c.Command...), c.Args...),
	}
	if sc := c.SecurityContext; sc != nil {
		spec.ReadOnlyRoot = sc.ReadOnlyRootFilesystem != nil && *sc.ReadOnlyRootFilesystem
		spec.NoNewPrivs = sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation
	}
	for _, m := range c.VolumeMounts {
		vm, ok := r.mounts[m.Name]
		if !ok {
			return nil, fmt.Errorf("volume mount %s: no volume of that name", m.Name)
		}
		src := vm.dir
		if m.SubPath != "" {
			if src, err = subPathDir(src, m.SubPath); err != nil {
				return nil, err
			}
		}
		spec.Mounts = append(spec.Mounts, container.Mount{Source: src, Target: path.Clean(m.MountPath), ReadOnly: m.ReadOnly || vm.readOnly})
	}
	return spec, nil
}

// identity is the user, group and supplementary groups c runs with: the
// container's runAsUser and runAsGroup, else the pod's, else the image's;
// the pod's fsGroup and supplementalGroups as supplementary groups.
func identity(pod *corev1.Pod, c *corev1.Container, img Image) (int64, int64, []uint32) {
	uid, gid := img.User, img.Group
	var groups []uint32
	if psc := pod.Spec.SecurityContext; psc != nil {
		if psc.RunAsUser != nil {
			uid = *psc.RunAsUser
		}
		if psc.RunAsGroup != nil {
			gid = *psc.RunAsGroup
		}
		if psc.FSGroup != nil {
			groups = append(groups, uint32(*psc.FSGroup))
		}
		for _, g := range psc.SupplementalGroups {
			groups = append(groups, uint32(g))
		}
	}
	if sc := c.SecurityContext; sc != nil {
		if sc.RunAsUser != nil {
			uid = *sc.RunAsUser
		}
		if sc.RunAsGroup != nil {
			gid = *sc.RunAsGroup
		}
	}
	return uid, gid, groups
}

func effectiveNonRoot(pod *corev1.Pod, c *corev1.Container) bool {
	if c.SecurityContext != nil && c.SecurityContext.RunAsNonRoot != nil {
		return *c.SecurityContext.RunAsNonRoot
	}
	return pod.Spec.SecurityContext != nil && pod.Spec.SecurityContext.RunAsNonRoot != nil && *pod.Spec.SecurityContext.RunAsNonRoot
}

// subPathDir creates a volume's subPath as the kubelet does: with the mode
// of the volume's root, set explicitly rather than through the umask, so
// that what the fsGroup may write to stays writable.
func subPathDir(volume, sub string) (string, error) {
	dir := filepath.Join(volume, filepath.Clean("/"+sub))
	fi, err := os.Stat(volume)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, os.Chmod(dir, fi.Mode()&(os.ModePerm|os.ModeSetgid|os.ModeSticky))
}
