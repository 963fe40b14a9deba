package podmantest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/testtool"
)

// The images every storage holds. Tag adds other names for them.
const (
	// Busybox is busybox-static's rootfs: /bin/busybox and an empty /tmp.
	Busybox = "localhost/wurzel-test/busybox:1"
	// Python is Debian bookworm's essential packages with python3-minimal
	// and the standard library, without a shell (see NeedPython).
	Python = "localhost/wurzel-test/python:3"
)

// fallbackFlags are what a run needs on machines whose cgroup set-up the
// default runtime (crun) refuses and where raising limits is not allowed.
var fallbackFlags = []string{"--runtime", "runc", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"}

// Podman is podman with a test storage.
type Podman struct {
	// Path is podman's executable.
	Path string
	// Env is os.Environ() with CONTAINERS_STORAGE_CONF pointing at the
	// test storage and WURZEL_CONTAINER_FLAGS set: the environment of
	// podman and of `wurzel run`.
	Env []string
	// Flags are the flags every `podman run` needs on this machine.
	Flags []string
	dir   string

	python    sync.Once
	pythonErr error
}

var (
	once    sync.Once
	shared  *Podman
	initErr error
	missing string // a tool that is not installed
)

// Get returns the test binary's podman, setting it up on first use.
func Get(t testing.TB) *Podman {
	t.Helper()
	once.Do(setUp)
	if missing != "" {
		testtool.Missing(t, "%s is not installed", missing)
	}
	if initErr != nil {
		t.Fatal(initErr)
	}
	return shared
}

func setUp() {
	for _, tool := range []string{"podman", "apt-get", "dpkg", "mmdebstrap"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = tool
			return
		}
	}
	shared, initErr = newPodman()
}

func newPodman() (*Podman, error) {
	path, _ := exec.LookPath("podman")
	dir, err := os.MkdirTemp("", "wurzel-podman-")
	if err != nil {
		return nil, err
	}
	p := &Podman{Path: path, dir: dir}
	conf := filepath.Join(dir, "storage.conf")
	storage := fmt.Sprintf("[storage]\ndriver = \"overlay\"\ngraphroot = %q\nrunroot = %q\n", filepath.Join(dir, "root"), filepath.Join(dir, "run"))
	if err := os.WriteFile(conf, []byte(storage), 0o644); err != nil {
		return nil, err
	}
	p.Env = append(os.Environ(), "CONTAINERS_STORAGE_CONF="+conf)
	busybox, err := busyboxTar()
	if err != nil {
		return nil, err
	}
	if _, err := p.Run("import", "--quiet", busybox, Busybox); err != nil {
		return nil, err
	}
	if err := p.findFlags(); err != nil {
		return nil, err
	}
	p.Env = append(p.Env, "WURZEL_CONTAINER_FLAGS="+strings.Join(p.Flags, " "))
	return p, nil
}

// NeedPython imports the Python image into the storage on first use.
func (p *Podman) NeedPython(t testing.TB) {
	t.Helper()
	p.python.Do(func() {
		tar, err := pythonTar()
		if err == nil {
			_, err = p.Run("import", "--quiet", tar, Python)
		}
		p.pythonErr = err
	})
	if p.pythonErr != nil {
		t.Fatal(p.pythonErr)
	}
}

// findFlags finds the flags `podman run` needs here: WURZEL_CONTAINER_FLAGS
// when set, else none when a plain run works, else fallbackFlags.
func (p *Podman) findFlags() error {
	if v, ok := os.LookupEnv("WURZEL_CONTAINER_FLAGS"); ok {
		p.Flags = strings.Fields(v)
		return nil
	}
	plain, err := p.Run("run", "--rm", Busybox, "/bin/busybox", "true")
	if err == nil {
		return nil
	}
	run := append(append([]string{"run", "--rm"}, fallbackFlags...), Busybox, "/bin/busybox", "true")
	if _, err2 := p.Run(run...); err2 != nil {
		return fmt.Errorf("podman cannot run a container here, plain (%v: %s) or with %v (%v); set WURZEL_CONTAINER_FLAGS", err, plain, fallbackFlags, err2)
	}
	p.Flags = fallbackFlags
	return nil
}

// Run runs podman with the test storage and returns its combined output.
func (p *Podman) Run(args ...string) (string, error) {
	cmd := exec.Command(p.Path, args...)
	cmd.Env = p.Env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("podman %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String(), nil
}

// Must runs podman and fails the test on an error.
func (p *Podman) Must(t testing.TB, args ...string) string {
	t.Helper()
	out, err := p.Run(args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Tag gives image more names, such as the images examples name.
func (p *Podman) Tag(t testing.TB, image string, names ...string) {
	t.Helper()
	p.Must(t, append([]string{"tag", image}, names...)...)
}

// Containers lists every container in the storage, running or not, one
// "name image status" line each.
func (p *Podman) Containers(t testing.TB) []string {
	t.Helper()
	out := p.Must(t, "ps", "--all", "--format", "{{.Names}} {{.Image}} {{.Status}}")
	return strings.Fields(strings.ReplaceAll(strings.TrimSpace(out), " ", "_"))
}

// Cleanup removes the storage; call it from TestMain after m.Run.
func Cleanup() {
	if shared == nil {
		return
	}
	// Remove what is left (nothing, when the tests pass) so that no
	// overlay mount keeps the directory busy.
	shared.Run("rm", "--all", "--force", "--time", "0")
	if os.Geteuid() != 0 {
		// Rootless podman's files belong to sub-ids only podman's user
		// namespace can remove.
		shared.Run("unshare", "rm", "-rf", shared.dir)
	}
	os.RemoveAll(shared.dir)
}

// cacheDir is where built image files are kept between test runs.
func cacheDir() (string, error) {
	dir := os.Getenv("WURZEL_TEST_CACHE")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		dir = filepath.Join(base, "wurzel-test")
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// cached returns the cached file name, building it with build (which
// writes the path it is given) when it is missing. Test binaries of
// different packages run at once: a lock file makes one build and the
// others wait.
func cached(name string, build func(dst string) error) (string, error) {
	dir, err := cacheDir()
	if err != nil {
		return "", err
	}
	dst := filepath.Join(dir, name)
	lock, err := os.OpenFile(dst+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	unlock, err := lockFile(lock)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	tmp := dst + ".tmp"
	os.RemoveAll(tmp)
	if err := build(tmp); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("building %s: %v", name, err)
	}
	return dst, os.Rename(tmp, dst)
}

// busyboxTar is a root file system with busybox-static's /bin/busybox, no
// links to it (so no /bin/sh), and /tmp.
func busyboxTar() (string, error) {
	return cached("busybox-static.tar", func(dst string) error {
		work, err := os.MkdirTemp("", "wurzel-busybox-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(work)
		if err := run(work, "apt-get", "download", "busybox-static"); err != nil {
			return err
		}
		debs, _ := filepath.Glob(filepath.Join(work, "busybox-static_*.deb"))
		if len(debs) != 1 {
			return fmt.Errorf("apt-get download busybox-static left %d packages", len(debs))
		}
		root := filepath.Join(work, "root")
		if err := run(work, "dpkg", "-x", debs[0], root); err != nil {
			return err
		}
		if err := os.Mkdir(filepath.Join(root, "tmp"), 0o777); err != nil {
			return err
		}
		if err := os.Chmod(filepath.Join(root, "tmp"), 0o1777); err != nil {
			return err
		}
		return run(work, "tar", "--numeric-owner", "--owner=0", "--group=0", "-C", root, "-cf", dst, ".")
	})
}

// pythonTar is Debian bookworm's essential set with python3-minimal and its
// standard library, through the machine's apt sources, without
// documentation and without a shell.
func pythonTar() (string, error) {
	return cached("python3-bookworm.tar", func(dst string) error {
		args := []string{"--variant=essential", "--include=python3-minimal,libpython3-stdlib,ca-certificates"}
		for _, p := range []string{"/usr/share/doc/*", "/usr/share/man/*", "/usr/share/locale/*", "/usr/share/info/*"} {
			args = append(args, "--dpkgopt=path-exclude="+p)
		}
		args = append(args, `--customize-hook=rm -f "$1"/bin/sh "$1"/usr/bin/sh "$1"/bin/dash "$1"/usr/bin/dash "$1"/bin/bash "$1"/usr/bin/bash`)
		if os.Geteuid() != 0 {
			args = append(args, "--mode=unshare")
		}
		args = append(args, "--format=tar", "bookworm", dst)
		return run("", "mmdebstrap", append(args, aptSources("bookworm")...)...)
	})
}

// aptSources are the machine's apt source files for suite, which
// mmdebstrap copies into the image's sources, so that it downloads through
// the mirror apt is configured with (deb.debian.org without one).
func aptSources(suite string) []string {
	files := []string{"/etc/apt/sources.list"}
	for _, pattern := range []string{"/etc/apt/sources.list.d/*.list", "/etc/apt/sources.list.d/*.sources"} {
		more, _ := filepath.Glob(pattern)
		files = append(files, more...)
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") && strings.Contains(line, suite) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, tail(string(out), 2000))
	}
	return nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
