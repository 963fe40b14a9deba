package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// buildStatic builds the Go package pkg for linux/arch without cgo and
// returns a directory holding it under every name in binaries.
func buildStatic(t *testing.T, pkg, arch string) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range binaries {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// archive is an OCI image-layout archive read back: its files by name.
type archive map[string][]byte

func readArchive(t *testing.T, file string) archive {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a := archive{}
	tr := tar.NewReader(f)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return a
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		a[hdr.Name] = data
	}
}

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Annotations map[string]string `json:"annotations"`
	Platform    *struct {
		OS           string `json:"os"`
		Architecture string `json:"architecture"`
	} `json:"platform"`
}

type manifestDoc struct {
	MediaType string       `json:"mediaType"`
	Config    descriptor   `json:"config"`
	Layers    []descriptor `json:"layers"`
	Manifests []descriptor `json:"manifests"`
}

func (a archive) blob(t *testing.T, digest string) []byte {
	t.Helper()
	data, ok := a["blobs/"+strings.Replace(digest, ":", "/", 1)]
	if !ok {
		t.Fatalf("blob %s is missing from the archive", digest)
	}
	return data
}

func (a archive) doc(t *testing.T, digest string) manifestDoc {
	t.Helper()
	var m manifestDoc
	if err := json.Unmarshal(a.blob(t, digest), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// index reads index.json and returns its only entry.
func (a archive) index(t *testing.T) descriptor {
	t.Helper()
	var idx manifestDoc
	if err := json.Unmarshal(a["index.json"], &idx); err != nil {
		t.Fatalf("index.json: %v", err)
	}
	if len(idx.Manifests) != 1 {
		t.Fatalf("index.json has %d entries, want 1", len(idx.Manifests))
	}
	return idx.Manifests[0]
}

// checkImage checks one platform's image: its config and its only layer.
func (a archive) checkImage(t *testing.T, digest, arch string) {
	t.Helper()
	m := a.doc(t, digest)
	if m.MediaType != "application/vnd.oci.image.manifest.v1+json" || len(m.Layers) != 1 {
		t.Fatalf("manifest: media type %q, %d layers; want an OCI manifest with 1 layer", m.MediaType, len(m.Layers))
	}
	var cfg struct {
		OS, Architecture string
		Config           struct {
			User       string
			Entrypoint []string
		}
	}
	if err := json.Unmarshal(a.blob(t, m.Config.Digest), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.OS != "linux" || cfg.Architecture != arch || cfg.Config.User != "65532:65532" ||
		strings.Join(cfg.Config.Entrypoint, " ") != "/wurzel" {
		t.Errorf("config: %+v; want linux/%s, user 65532:65532, entrypoint /wurzel", cfg, arch)
	}
	zr, err := gzip.NewReader(bytes.NewReader(a.blob(t, m.Layers[0].Digest)))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag != tar.TypeReg || hdr.Mode != 0o755 || hdr.Uid != 0 || hdr.Gid != 0 {
			t.Errorf("layer entry %s: type %c mode %o owner %d:%d; want a root-owned 0755 file", hdr.Name, hdr.Typeflag, hdr.Mode, hdr.Uid, hdr.Gid)
		}
		files = append(files, hdr.Name)
	}
	sort.Strings(files)
	if strings.Join(files, " ") != "wurzel wurzel-fetch wurzel-step" {
		t.Errorf("layer holds %v; want exactly wurzel, wurzel-fetch and wurzel-step", files)
	}
}

func TestSinglePlatformImage(t *testing.T) {
	dir := buildStatic(t, "./testdata/hello", runtime.GOARCH)
	opts := Options{
		Ref: "example.com/wurzel:v1.2.3", Version: "v1.2.3", Created: time.Unix(0, 0).UTC(),
		Platforms: []Platform{{OS: "linux", Arch: runtime.GOARCH, Dir: dir}},
	}
	out := filepath.Join(t.TempDir(), "image.tar")
	if err := Write(out, opts); err != nil {
		t.Fatal(err)
	}
	a := readArchive(t, out)
	if got := string(a["oci-layout"]); !strings.Contains(got, `"imageLayoutVersion"`) {
		t.Errorf("oci-layout = %q", got)
	}
	entry := a.index(t)
	if entry.Annotations[refNameAnnotation] != opts.Ref {
		t.Errorf("index.json names the image %q, want %q", entry.Annotations[refNameAnnotation], opts.Ref)
	}
	a.checkImage(t, entry.Digest, runtime.GOARCH)

	// The same input gives the same bytes.
	again := filepath.Join(t.TempDir(), "image.tar")
	if err := Write(again, opts); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(out)
	second, _ := os.ReadFile(again)
	if !bytes.Equal(first, second) {
		t.Error("two builds of the same binaries differ")
	}
}

func TestMultiArchIndex(t *testing.T) {
	var platforms []Platform
	for _, arch := range []string{"amd64", "arm64"} {
		platforms = append(platforms, Platform{OS: "linux", Arch: arch, Dir: buildStatic(t, "./testdata/hello", arch)})
	}
	out := filepath.Join(t.TempDir(), "image.tar")
	if err := Write(out, Options{Ref: "example.com/wurzel:v1", Platforms: platforms}); err != nil {
		t.Fatal(err)
	}
	a := readArchive(t, out)
	entry := a.index(t)
	idx := a.doc(t, entry.Digest)
	if entry.MediaType != "application/vnd.oci.image.index.v1+json" || len(idx.Manifests) != 2 {
		t.Fatalf("index.json entry %s with %d manifests; want an image index of 2", entry.MediaType, len(idx.Manifests))
	}
	for i, arch := range []string{"amd64", "arm64"} {
		m := idx.Manifests[i]
		if m.Platform == nil || m.Platform.OS != "linux" || m.Platform.Architecture != arch {
			t.Errorf("manifest %d: platform %+v, want linux/%s", i, m.Platform, arch)
		}
		a.checkImage(t, m.Digest, arch)
	}
}

func TestRefusesWhatCannotRunInTheImage(t *testing.T) {
	hello := buildStatic(t, "./testdata/hello", runtime.GOARCH)
	dynamic := t.TempDir()
	for _, name := range binaries {
		data, err := os.ReadFile("/bin/sh")
		if err != nil {
			t.Skip("no /bin/sh to serve as a dynamically linked binary")
		}
		os.WriteFile(filepath.Join(dynamic, name), data, 0o755)
	}
	other := "arm64"
	if runtime.GOARCH == "arm64" {
		other = "amd64"
	}
	for _, c := range []struct {
		name string
		p    Platform
		want string
	}{
		{"dynamic", Platform{OS: "linux", Arch: runtime.GOARCH, Dir: dynamic}, "dynamically linked"},
		{"wrong architecture", Platform{OS: "linux", Arch: other, Dir: hello}, "built for"},
		{"missing binary", Platform{OS: "linux", Arch: runtime.GOARCH, Dir: t.TempDir()}, "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "image.tar")
			err := Write(out, Options{Ref: "example.com/w:1", Platforms: []Platform{c.p}})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v; want one saying %q", err, c.want)
			}
			if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
				t.Error("a failed build left an archive behind")
			}
		})
	}
}

// TestPodmanRunsTheImage loads the runner image into podman and runs
// `/wurzel version` in it. The archive is the one `make image` built
// (WURZEL_IMAGE_ARCHIVE), or one built here from the repository's commands.
func TestPodmanRunsTheImage(t *testing.T) {
	podman, err := exec.LookPath("podman")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("podman is not installed; .ci/run installs it")
		}
		t.Skip("podman is not installed")
	}
	file, ref := os.Getenv("WURZEL_IMAGE_ARCHIVE"), ""
	if file == "" {
		ref = "localhost/wurzel-image-test:v0.0.0-test"
		file = filepath.Join(t.TempDir(), "image.tar")
		dir := t.TempDir()
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-X main.version=v0.0.0-test", "-o", dir+"/",
			"github.com/wurzel-dev/wurzel/cmd/wurzel", "github.com/wurzel-dev/wurzel/cmd/wurzel-fetch",
			"github.com/wurzel-dev/wurzel/cmd/wurzel-step")
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		if err := Write(file, Options{Ref: ref, Platforms: []Platform{{OS: "linux", Arch: runtime.GOARCH, Dir: dir}}}); err != nil {
			t.Fatal(err)
		}
	}
	// A private store, so that the test neither sees nor leaves images.
	store := t.TempDir()
	base := []string{"--root", filepath.Join(store, "root"), "--runroot", filepath.Join(store, "run"), "--storage-driver", "vfs"}
	t.Cleanup(func() { removePodmanStore(t, podman, base, store) })
	pm := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(podman, append(base, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	loaded := pm("load", "-i", file)
	i := strings.LastIndex(loaded, "Loaded image: ")
	if i < 0 {
		t.Fatalf("podman load did not name the image:\n%s", loaded)
	}
	name := strings.TrimSpace(loaded[i+len("Loaded image: "):])
	if ref != "" && name != ref {
		t.Errorf("podman loaded %q, want %q", name, ref)
	}
	if user := strings.TrimSpace(pm("image", "inspect", "--format", "{{.Config.User}}", name)); user != "65532:65532" {
		t.Errorf("image user %q, want 65532:65532", user)
	}
	out := pm("run", "--rm", "--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
		"--network", "none", name, "version")
	tag := name[strings.LastIndex(name, ":")+1:]
	if !strings.Contains(out, "wurzel "+tag+" linux/"+runtime.GOARCH) || !strings.Contains(out, "fetch helper: /wurzel-fetch") ||
		!strings.Contains(out, "step runner: /wurzel-step") {
		t.Errorf("/wurzel version in the image printed:\n%s\nwant the version %s, the helper at /wurzel-fetch and the step runner at /wurzel-step", out, tag)
	}
	out = pm("run", "--rm", "--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
		"--network", "none", "--entrypoint", "/wurzel-step", name, "--version")
	if out != "wurzel-step "+tag+"\n" {
		t.Errorf("/wurzel-step --version in the image printed %q, want the version %s", out, tag)
	}
	// Nothing but the binaries: no shell to run.
	shell := append(base[:len(base):len(base)], "run", "--rm", "--runtime", "runc", "--network", "none", "--entrypoint", "/bin/sh",
		name, "-c", "true")
	if out, err := exec.Command(podman, shell...).CombinedOutput(); err == nil {
		t.Errorf("the image has a shell:\n%s", out)
	}
}

// removePodmanStore empties the test's private podman store before the
// testing package removes its directory. "run --rm" leaves the removal of a
// container to conmon and a "podman container cleanup" process that outlive
// the command, so files may still appear in the store for a moment: wait
// until no process names the store any more, then remove it.
func removePodmanStore(t *testing.T, podman string, base []string, store string) {
	t.Helper()
	if out, err := exec.Command(podman, append(base[:len(base):len(base)], "rm", "--all", "--force", "--time", "0")...).CombinedOutput(); err != nil {
		t.Logf("podman rm --all: %v\n%s", err, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for processesNaming(store) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if err := os.RemoveAll(store); err != nil {
		t.Errorf("removing the private podman store: %v", err)
	}
}

// processesNaming reports whether a process has path in its command line.
func processesNaming(path string) bool {
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range cmdlines {
		if b, err := os.ReadFile(f); err == nil && bytes.Contains(b, []byte(path)) {
			return true
		}
	}
	return false
}
