package kubelet

import (
	"os"
	"path/filepath"
	"testing"

	corev1 "k8s.io/api/core/v1"
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
