package kubelet

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

func TestExpand(t *testing.T) {
	defined := map[string]string{"A": "alpha", "B": "$(A)"}
	for in, want := range map[string]string{
		"$(A)":           "alpha",
		"x$(A)y":         "xalphay",
		"$$(A)":          "$(A)",
		"$$":             "$",
		"$(UNDEFINED)":   "$(UNDEFINED)",
		"$(B)":           "$(A)", // values are not expanded twice
		"$":              "$",
		"a$b":            "a$b",
		"$(unclosed":     "$(unclosed",
		`{"k":"$$x"}`:    `{"k":"$x"}`,
		"100$$ and $(A)": "100$ and alpha",
	} {
		if got := expand(in, defined); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAtomicLayoutAndOwnership(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changing a file's group needs root")
	}
	dir := filepath.Join(t.TempDir(), "secret")
	fsGroup := int64(4242)
	files := map[string]payload{"token": {[]byte("t"), 0o400}, "nested/key": {[]byte("k"), 0o400}}
	if err := writeAtomic(dir, files, &fsGroup); err != nil {
		t.Fatal(err)
	}
	data, err := os.Readlink(filepath.Join(dir, "..data"))
	if err != nil || len(data) < 3 || data[:2] != ".." {
		t.Fatalf("..data -> %q (%v), want a link to a ..<time> directory", data, err)
	}
	if link, _ := os.Readlink(filepath.Join(dir, "token")); link != "..data/token" {
		t.Errorf("token -> %q, want ..data/token", link)
	}
	fi, err := os.Stat(filepath.Join(dir, "token"))
	if err != nil {
		t.Fatal(err)
	}
	// Read-only volume with an fsGroup: the key gains group read only.
	if fi.Mode().Perm() != 0o440 {
		t.Errorf("token mode %o, want 0440", fi.Mode().Perm())
	}
	if content, _ := os.ReadFile(filepath.Join(dir, "nested", "key")); string(content) != "k" {
		t.Errorf("nested/key = %q", content)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.Mkdir(empty, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(empty, 0o777)
	if err := setOwnership(empty, &fsGroup, false); err != nil {
		t.Fatal(err)
	}
	fi, _ = os.Stat(empty)
	if fi.Mode()&os.ModeSetgid == 0 || fi.Mode().Perm() != 0o777 {
		t.Errorf("emptyDir mode %v, want setgid and 0777", fi.Mode())
	}
}

func TestKeyFilesRefusesAMissingItem(t *testing.T) {
	_, err := keyFiles("secret-x", "Secret", "x", map[string][]byte{"a": nil}, nil, nil, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	_, err = keyFiles("secret-x", "Secret", "x", map[string][]byte{"a": nil},
		[]corev1.KeyToPath{{Key: "b", Path: "b"}}, nil, 0o644)
	if err == nil {
		t.Fatal("a missing key was accepted")
	}
}

func TestMemoryEmptyDirIsATmpfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	limit := resource.MustParse("1Mi")
	pod := &corev1.Pod{Spec: corev1.PodSpec{Volumes: []corev1.Volume{
		{Name: "disk", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
		{Name: "memory", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory, SizeLimit: &limit}}},
	}}}
	r := &podRun{k: &Kubelet{Logf: t.Logf}, pod: pod, dir: t.TempDir()}
	if err := r.setUpVolumes(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer r.tearDownVolumes()
	fsType := func(dir string) int64 {
		var st unix.Statfs_t
		if err := unix.Statfs(dir, &st); err != nil {
			t.Fatal(err)
		}
		return int64(st.Type)
	}
	memory, disk := r.mounts["memory"].dir, r.mounts["disk"].dir
	if fsType(memory) != unix.TMPFS_MAGIC {
		t.Errorf("emptyDir of medium Memory: file system %#x, want a tmpfs", fsType(memory))
	}
	if fsType(disk) == unix.TMPFS_MAGIC && fsType(r.dir) != unix.TMPFS_MAGIC {
		t.Errorf("emptyDir of the default medium is a tmpfs")
	}
	if fi, err := os.Stat(memory); err != nil || fi.Mode().Perm() != 0o777 {
		t.Errorf("emptyDir of medium Memory: %v, %v; want mode 0777", fi.Mode(), err)
	}
	// The size limit holds: a file of twice the limit does not fit.
	if err := os.WriteFile(filepath.Join(memory, "big"), make([]byte, 2<<20), 0o644); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("writing 2 MiB into a 1 MiB emptyDir: %v, want ENOSPC", err)
	}
	r.tearDownVolumes()
	if fsType(memory) == unix.TMPFS_MAGIC && fsType(r.dir) != unix.TMPFS_MAGIC {
		t.Errorf("the tmpfs outlived the pod")
	}
}

func TestUnsupportedEmptyDirMedium(t *testing.T) {
	pod := &corev1.Pod{Spec: corev1.PodSpec{Volumes: []corev1.Volume{
		{Name: "huge", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumHugePages}}},
	}}}
	r := &podRun{k: &Kubelet{Logf: t.Logf}, pod: pod, dir: t.TempDir()}
	err := r.setUpVolumes(context.Background())
	if err == nil || !strings.Contains(err.Error(), `medium "HugePages"`) {
		t.Errorf("setUpVolumes = %v, want an error naming the medium", err)
	}
}
