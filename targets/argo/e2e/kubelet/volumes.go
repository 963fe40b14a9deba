package kubelet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Ownership masks of SetVolumeOwnership: with an fsGroup, a volume's files
// get group read and write (read only for read-only volumes), directories
// also group execute and setgid.
const (
	rwMask   = 0o660
	roMask   = 0o440
	execMask = 0o110
)

// mountError is a volume that cannot be set up: the pod stays Pending.
type mountError struct{ volume, msg string }

func (e *mountError) Error() string {
	return fmt.Sprintf("MountVolume.SetUp failed for volume %q : %s", e.volume, e.msg)
}

// volumeDir sets up one volume of the pod under podDir and returns the
// host directory the containers mount, and whether it is read-only.
func (k *Kubelet) volumeDir(ctx context.Context, pod *corev1.Pod, podDir string, v corev1.Volume) (string, bool, error) {
	dir := filepath.Join(podDir, "volumes", v.Name)
	fsGroup := podFSGroup(pod)
	switch {
	case v.EmptyDir != nil:
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return "", false, err
		}
		switch v.EmptyDir.Medium {
		case corev1.StorageMediumDefault:
		case corev1.StorageMediumMemory:
			if err := mountMemory(dir, v.EmptyDir.SizeLimit); err != nil {
				return "", false, fmt.Errorf("mounting a tmpfs for emptyDir %s: %w", v.Name, err)
			}
		default:
			return "", false, fmt.Errorf("volume %s: this kubelet does not support emptyDir medium %q", v.Name, v.EmptyDir.Medium)
		}
		if err := os.Chmod(dir, 0o777); err != nil {
			return "", false, err
		}
		return dir, false, setOwnership(dir, fsGroup, false)
	case v.Secret != nil:
		s, err := k.Client.CoreV1().Secrets(pod.Namespace).Get(ctx, v.Secret.SecretName, metav1.GetOptions{})
		if apierrors.IsNotFound(err) && !(v.Secret.Optional != nil && *v.Secret.Optional) {
			return "", false, &mountError{v.Name, fmt.Sprintf("secret %q not found", v.Secret.SecretName)}
		}
		data := map[string][]byte{}
		if err == nil {
			data = s.Data
		} else if !apierrors.IsNotFound(err) {
			return "", false, err
		}
		files, err := keyFiles(v.Name, "Secret", v.Secret.SecretName, data, v.Secret.Items, v.Secret.DefaultMode, 0o644)
		if err != nil {
			return "", false, err
		}
		return dir, true, writeAtomic(dir, files, fsGroup)
	case v.ConfigMap != nil:
		cm, err := k.Client.CoreV1().ConfigMaps(pod.Namespace).Get(ctx, v.ConfigMap.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) && !(v.ConfigMap.Optional != nil && *v.ConfigMap.Optional) {
			return "", false, &mountError{v.Name, fmt.Sprintf("configmap %q not found", v.ConfigMap.Name)}
		}
		data := map[string][]byte{}
		if err == nil {
			for key, val := range cm.Data {
				data[key] = []byte(val)
			}
			for key, val := range cm.BinaryData {
				data[key] = val
			}
		} else if !apierrors.IsNotFound(err) {
			return "", false, err
		}
		files, err := keyFiles(v.Name, "ConfigMap", v.ConfigMap.Name, data, v.ConfigMap.Items, v.ConfigMap.DefaultMode, 0o644)
		if err != nil {
			return "", false, err
		}
		return dir, true, writeAtomic(dir, files, fsGroup)
	case v.PersistentVolumeClaim != nil:
		claim := v.PersistentVolumeClaim.ClaimName
		if _, err := k.Client.CoreV1().PersistentVolumeClaims(pod.Namespace).Get(ctx, claim, metav1.GetOptions{}); err != nil {
			if apierrors.IsNotFound(err) {
				return "", false, &mountError{v.Name, fmt.Sprintf("persistentvolumeclaim %q not found", claim)}
			}
			return "", false, err
		}
		// A claim's volume outlives the pod: one directory per claim.
		dir = filepath.Join(k.Dir, "claims", pod.Namespace, claim)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", false, err
		}
		ro := v.PersistentVolumeClaim.ReadOnly
		return dir, ro, setOwnership(dir, fsGroup, ro)
	case v.Projected != nil:
		files, err := k.projectedFiles(ctx, pod, v)
		if err != nil {
			return "", false, err
		}
		return dir, true, writeAtomic(dir, files, fsGroup)
	}
	return "", false, fmt.Errorf("volume %s: this kubelet does not support its type", v.Name)
}

// payload is one file of a secret, configMap or projected volume.
type payload struct {
	data []byte
	mode os.FileMode
}

// keyFiles lays out data as the kubelet does: every key, or only the
// listed items at their paths, with the item's mode or defaultMode.
func keyFiles(volume, kind, name string, data map[string][]byte, items []corev1.KeyToPath, defaultMode *int32, fallback os.FileMode) (map[string]payload, error) {
	mode := fallback
	if defaultMode != nil {
		mode = os.FileMode(*defaultMode)
	}
	files := map[string]payload{}
	if len(items) == 0 {
		for key, val := range data {
			files[key] = payload{val, mode}
		}
		return files, nil
	}
	for _, it := range items {
		val, ok := data[it.Key]
		if !ok {
			if it.Key != "" {
				return nil, &mountError{volume, fmt.Sprintf("couldn't find key %s in %s %s", it.Key, kind, name)}
			}
		}
		m := mode
		if it.Mode != nil {
			m = os.FileMode(*it.Mode)
		}
		files[it.Path] = payload{val, m}
	}
	return files, nil
}

// projectedFiles are a projected volume's files: the service account
// token, the cluster's CA and the namespace are what pods get.
func (k *Kubelet) projectedFiles(ctx context.Context, pod *corev1.Pod, v corev1.Volume) (map[string]payload, error) {
	mode := os.FileMode(0o644)
	if v.Projected.DefaultMode != nil {
		mode = os.FileMode(*v.Projected.DefaultMode)
	}
	files := map[string]payload{}
	for _, src := range v.Projected.Sources {
		switch {
		case src.ServiceAccountToken != nil:
			files[src.ServiceAccountToken.Path] = payload{[]byte(ServiceAccountToken), mode}
		case src.ConfigMap != nil:
			data := map[string][]byte{}
			if src.ConfigMap.Name == rootCAConfigMap {
				data["ca.crt"] = k.CA
			} else if cm, err := k.Client.CoreV1().ConfigMaps(pod.Namespace).Get(ctx, src.ConfigMap.Name, metav1.GetOptions{}); err == nil {
				for key, val := range cm.Data {
					data[key] = []byte(val)
				}
			} else {
				return nil, &mountError{v.Name, fmt.Sprintf("configmap %q not found", src.ConfigMap.Name)}
			}
			kf, err := keyFiles(v.Name, "ConfigMap", src.ConfigMap.Name, data, src.ConfigMap.Items, nil, mode)
			if err != nil {
				return nil, err
			}
			for p, f := range kf {
				files[p] = f
			}
		case src.DownwardAPI != nil:
			for _, it := range src.DownwardAPI.Items {
				if it.FieldRef == nil {
					return nil, fmt.Errorf("volume %s: only fieldRef downward API items are supported", v.Name)
				}
				val, err := fieldValue(pod, it.FieldRef.FieldPath)
				if err != nil {
					return nil, err
				}
				files[it.Path] = payload{[]byte(val), mode}
			}
		default:
			return nil, fmt.Errorf("volume %s: unsupported projected source", v.Name)
		}
	}
	return files, nil
}

// writeAtomic writes files as the kubelet's atomic writer does: into a
// timestamped directory, ..data a link to it, and each top-level name a
// link through ..data.
func writeAtomic(dir string, files map[string]payload, fsGroup *int64) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	ts := ".." + time.Now().UTC().Format("2006_01_02_15_04_05.000000000")
	tsDir := filepath.Join(dir, ts)
	if err := os.Mkdir(tsDir, 0o700); err != nil {
		return err
	}
	var names []string
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	top := map[string]bool{}
	for _, p := range names {
		f := files[p]
		full := filepath.Join(tsDir, filepath.Clean("/"+p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, f.data, f.mode); err != nil {
			return err
		}
		if err := os.Chmod(full, f.mode); err != nil {
			return err
		}
		top[firstElem(p)] = true
	}
	if err := os.Symlink(ts, filepath.Join(dir, "..data")); err != nil {
		return err
	}
	for name := range top {
		if err := os.Symlink(filepath.Join("..data", name), filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return setOwnership(dir, fsGroup, true)
}

func firstElem(p string) string {
	p = filepath.Clean("/" + p)[1:]
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			return p[:i]
		}
	}
	return p
}

// setOwnership gives a volume to the pod's fsGroup as the kubelet's
// SetVolumeOwnership does; without an fsGroup it changes nothing.
func setOwnership(dir string, fsGroup *int64, readOnly bool) error {
	if fsGroup == nil {
		return nil
	}
	return filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if err := os.Lchown(p, -1, int(*fsGroup)); err != nil {
			return err
		}
		if info.Mode()&os.ModeSymlink != 0 {
			return nil
		}
		mask := os.FileMode(rwMask)
		if readOnly {
			mask = roMask
		}
		if info.IsDir() {
			mask |= os.ModeSetgid | execMask
		}
		return os.Chmod(p, info.Mode()|mask)
	})
}

func podFSGroup(pod *corev1.Pod) *int64 {
	if pod.Spec.SecurityContext == nil {
		return nil
	}
	return pod.Spec.SecurityContext.FSGroup
}
