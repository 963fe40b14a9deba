package container

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Kind is the dialect of a container engine's command line.
type Kind string

// The engines wurzel drives.
const (
	Podman Kind = "podman"
	Docker Kind = "docker"
)

// Engine is a container engine's command line.
type Engine struct {
	Kind Kind
	// Path is the engine's executable.
	Path string
	// Flags are added to every `run`, just before the image: what some
	// machines need (`--runtime runc`, `--security-opt label=disable`).
	Flags []string
	// Environ is the engine's environment (DOCKER_HOST, CONTAINERS_*,
	// XDG_RUNTIME_DIR, ...). It does not reach the container.
	Environ []string
}

// ErrNoEngine says that neither podman nor docker is installed.
var ErrNoEngine = errors.New("no container engine: neither podman nor docker is on PATH")

// Find returns the engine called name: "podman", "docker" or the path of
// either; "" takes podman, else docker, from the PATH in environ.
func Find(name string, environ []string) (*Engine, error) {
	path := envValue(environ, "PATH")
	if name == "" {
		for _, k := range []Kind{Podman, Docker} {
			if p, ok := lookPath(string(k), path); ok {
				return &Engine{Kind: k, Path: p, Environ: environ}, nil
			}
		}
		return nil, ErrNoEngine
	}
	kind, ok := kindOf(name)
	if !ok {
		return nil, fmt.Errorf("container engine %q: wurzel drives podman and docker", name)
	}
	p := name
	if !strings.ContainsRune(name, filepath.Separator) {
		if p, ok = lookPath(name, path); !ok {
			return nil, fmt.Errorf("container engine %s is not on PATH", name)
		}
	} else if !isExecutable(name) {
		return nil, fmt.Errorf("container engine %s is not an executable file", name)
	}
	return &Engine{Kind: kind, Path: p, Environ: environ}, nil
}

// kindOf tells the dialect from the program's name (podman-remote is
// podman's).
func kindOf(name string) (Kind, bool) {
	base := filepath.Base(name)
	for _, k := range []Kind{Podman, Docker} {
		if strings.HasPrefix(base, string(k)) {
			return k, true
		}
	}
	return "", false
}

func lookPath(name, path string) (string, bool) {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		if p := filepath.Join(dir, name); isExecutable(p) {
			return p, true
		}
	}
	return "", false
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// envValue returns the last value of name in environ, as a process sees it.
func envValue(environ []string, name string) string {
	value := ""
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			value = v
		}
	}
	return value
}

// command is the engine's command line with args.
func (e *Engine) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, e.Path, args...)
	cmd.Env = e.Environ
	if cmd.Env == nil {
		cmd.Env = []string{}
	}
	return cmd
}

// Image is a local image as the engine resolved a reference.
type Image struct {
	Ref string
	// ID is the image's content address, the digest of its configuration
	// ("sha256:<hex>"). Containers are started by it.
	ID       string
	OS, Arch string
}

// MissingImageError is an image that is not in the engine's local
// images. wurzel never pulls one: a step runs in exactly the image the user
// has.
type MissingImageError struct {
	Ref    string
	Engine Kind
}

func (e *MissingImageError) Error() string {
	return fmt.Sprintf("image %s is not among %s's local images, and wurzel run does not pull images: run `%s pull %s` (or build it), then run again",
		e.Ref, e.Engine, e.Engine, e.Ref)
}

// Inspect resolves ref among the engine's local images. An image named by
// digest must carry exactly that digest.
func (e *Engine) Inspect(ctx context.Context, ref string) (*Image, error) {
	var stdout, stderr bytes.Buffer
	cmd := e.command(ctx, "image", "inspect", "--", ref)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if noSuchImage(msg) {
			return nil, &MissingImageError{Ref: ref, Engine: e.Kind}
		}
		return nil, fmt.Errorf("%s image inspect %s: %v: %s", e.Kind, ref, err, lastLine(msg))
	}
	var found []struct {
		ID           string `json:"Id"`
		RepoDigests  []string
		Architecture string
		OS           string `json:"Os"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &found); err != nil || len(found) != 1 || found[0].ID == "" {
		return nil, fmt.Errorf("%s image inspect %s: unexpected answer (%d images, %v)", e.Kind, ref, len(found), err)
	}
	f := found[0]
	img := &Image{Ref: ref, ID: f.ID, OS: f.OS, Arch: f.Architecture}
	if !strings.HasPrefix(img.ID, "sha256:") {
		img.ID = "sha256:" + img.ID // podman leaves the algorithm out
	}
	if _, digest, ok := strings.Cut(ref, "@"); ok && !hasDigest(f.RepoDigests, digest) {
		return nil, fmt.Errorf("image %s: %s resolved it to %s, which does not carry digest %s", ref, e.Kind, img.ID, digest)
	}
	return img, nil
}

func hasDigest(repoDigests []string, digest string) bool {
	for _, rd := range repoDigests {
		if _, d, _ := strings.Cut(rd, "@"); d == digest {
			return true
		}
	}
	return false
}

// noSuchImage recognises the engines' answers for an image they do not
// have: podman's "image not known", docker's "No such image".
func noSuchImage(msg string) bool {
	msg = strings.ToLower(msg)
	return strings.Contains(msg, "image not known") || strings.Contains(msg, "no such image") || strings.Contains(msg, "no such object")
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// Remove kills container name at once and removes it. It is idempotent:
// a container that is gone already is not an error worth reporting, since
// Remove only cleans up after an interrupt.
func (e *Engine) Remove(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := []string{"rm", "--force"}
	if e.Kind == Podman {
		args = append(args, "--ignore", "--time", "0")
	}
	_ = e.command(ctx, append(args, "--", name)...).Run()
}
