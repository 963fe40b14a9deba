package container

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/backend"
	"github.com/wurzel-dev/wurzel/internal/testbin"
	"github.com/wurzel-dev/wurzel/ir"
)

// hostLayout stands in for the local executor's layout: everything of the
// step under its directory, producers' outputs beside it.
type hostLayout struct{ root string }

func (h hostLayout) step(s string) string      { return filepath.Join(h.root, "runs", "r1", s) }
func (h hostLayout) Workdir(s *ir.Step) string { return filepath.Join(h.step(s.Name), "work") }
func (h hostLayout) ManifestLocation(s *ir.Step) string {
	return filepath.Join(h.step(s.Name), "manifest.json")
}
func (h hostLayout) VolumePath(v *ir.Volume) string { return filepath.Join(h.root, "volumes", v.Name) }
func (h hostLayout) OutputLocation(s *ir.Step, o *ir.Output) string {
	return filepath.Join(h.step(s.Name), "outputs", o.Name)
}
func (h hostLayout) InputLocation(_ *ir.Step, in *ir.Input, _ ir.Producer) string {
	return filepath.Join(h.step(in.From.Step), "outputs", in.From.Output)
}
func (h hostLayout) InputManifest(_ *ir.Step, in *ir.Input, _ ir.Producer) string {
	return filepath.Join(h.step(in.From.Step), "manifest.json")
}
func (h hostLayout) SecretMount(sec *ir.Secret) (string, map[string]string) {
	if sec.Local.Env != nil {
		return "", sec.Local.Env
	}
	return filepath.Join(h.root, sec.Local.Dir), nil
}

// testPipeline has a producer and a consumer that uses everything a
// container maps: a from input, a local source, secrets from a directory
// and from the environment, a read-write and a read-only volume, resources.
func testPipeline(dir string) *ir.Pipeline {
	return &ir.Pipeline{
		Name: "p", Dir: dir,
		Secrets: []ir.Secret{
			{Name: "file-tok", Keys: []string{"token"}, Local: &ir.LocalSecret{Dir: "secrets/tok"}, MountPath: "/var/run/secrets/wurzel/file-tok"},
			{Name: "env-tok", Keys: []string{"a", "b"}, Local: &ir.LocalSecret{Env: map[string]string{"a": "TOK_A", "b": "TOK_B"}}, MountPath: "/etc/tok", ExportEnv: map[string]string{"a": "A"}},
		},
		Volumes: []ir.Volume{
			{Name: "cache", Type: ir.EmptyDir, MountPath: "/cache"},
			{Name: "models", Type: ir.PersistentVolumeClaim, MountPath: "/models", ReadOnly: true},
		},
		Steps: []ir.Step{
			{Name: "make", Image: "img:1", Command: []string{"true"}, Outputs: []ir.Output{{Name: "o", Path: "o.txt", Kind: ir.OutputFile}}},
			{
				Name: "use", Image: "img:1", Command: []string{"python3", "-c", "pass"},
				Inputs: []ir.Input{
					{Name: "in", Path: "inputs/in", From: &ir.OutputRef{Step: "make", Output: "o"}},
					{Name: "corpus", Path: "corpus", Source: "./corpus//sub?archive=false"},
				},
				Outputs:   []ir.Output{{Name: "result", Path: "out/r.json", Kind: ir.OutputFile}},
				Secrets:   []string{"env-tok", "file-tok"},
				Volumes:   []string{"cache", "models"},
				Resources: ir.Resources{CPU: "500m", Memory: "2Gi"},
				Needs:     []string{"make"},
			},
		},
	}
}

func TestPrepare(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"secrets/tok", "corpus/sub", "runs/r1/use/work", "volumes/cache", "volumes/models"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "secrets/tok/token"), []byte("file-secret-value"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := testPipeline(dir)
	e := &Engine{Kind: Podman, Path: "/usr/bin/podman", Flags: []string{"--runtime", "runc"}}
	r := &Runtime{engine: e, p: p, runner: "/opt/wurzel", fetch: "/opt/wurzel-fetch",
		images: map[string]*Image{"img:1": {Ref: "img:1", ID: "sha256:abc"}}, owner: ownershipOf(e),
		environ: []string{"TOK_A=env-secret-a", "TOK_B=env-secret-b", "AWS_ACCESS_KEY_ID=x"},
		cfg: Config{Network: "none", Security: func(*ir.Step) backend.Security {
			return backend.Security{UID: 1000, GID: 1001, FSGroup: 2000}
		}}}
	host := hostLayout{root: dir}
	s := &p.Steps[1]
	st, err := r.Prepare(s, host, host.step("use"), "r1", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Finish(false)

	sp := st.Spec
	if sp.Workdir != "/wurzel/step/work" || sp.Manifest != "/wurzel/step/manifest.json" || sp.Outputs[0].Location != "/wurzel/step/outputs/result" {
		t.Errorf("step paths: workdir %q manifest %q output %q", sp.Workdir, sp.Manifest, sp.Outputs[0].Location)
	}
	if f := sp.Inputs[0].From; f.Location != "/wurzel/inputs/in/data" || f.Manifest != "/wurzel/inputs/in/manifest.json" {
		t.Errorf("from input: %+v", f)
	}
	if sp.Inputs[1].Source != "./corpus//sub?archive=false" {
		t.Errorf("a source address must reach the runner unchanged, got %q", sp.Inputs[1].Source)
	}
	for _, sec := range sp.Secrets {
		if sec.FromEnv != nil {
			t.Errorf("secret %s: a container gets files, not variables: %+v", sec.Name, sec)
		}
	}
	if sp.Secrets[0].Dir != "/etc/tok" || sp.Secrets[1].Dir != "/var/run/secrets/wurzel/file-tok" {
		t.Errorf("secret dirs: %q %q", sp.Secrets[0].Dir, sp.Secrets[1].Dir)
	}
	if sp.Volumes[0].Path != "/cache" || sp.Volumes[1].Path != "/models" || !sp.Volumes[1].ReadOnly {
		t.Errorf("volumes: %+v", sp.Volumes)
	}

	args := strings.Join(st.Args(), " ")
	for _, want := range []string{
		"run --rm --name wurzel-r1-use-2 --pull never",
		"--label dev.wurzel.step=use",
		"--user 1000:1001 --group-add 2000",
		"--cap-drop ALL --security-opt no-new-privileges",
		"--network none",
		"--cpu-shares 512 --memory 2147483648 --memory-swap 2147483648",
		"--mount type=bind,source=/opt/wurzel,destination=/wurzel/bin/wurzel,readonly",
		"--mount type=bind,source=/opt/wurzel-fetch,destination=/wurzel/bin/wurzel-fetch,readonly",
		"--mount type=bind,source=" + host.step("use") + ",destination=/wurzel/step ",
		"--mount type=bind,source=" + host.step("make") + "/outputs/o,destination=/wurzel/inputs/in/data,readonly",
		"--mount type=bind,source=" + host.step("make") + "/manifest.json,destination=/wurzel/inputs/in/manifest.json,readonly",
		"--mount type=bind,source=" + dir + "/volumes/cache,destination=/cache ",
		"--mount type=bind,source=" + dir + "/volumes/models,destination=/models,readonly",
		"--mount type=tmpfs,destination=" + dir + ",tmpfs-mode=0555",
		// The source is mounted whole: go-getter takes the //subdir itself.
		"--mount type=bind,source=" + dir + "/corpus,destination=" + dir + "/corpus,readonly",
		"--workdir " + dir + " --entrypoint /wurzel/bin/wurzel --runtime runc sha256:abc step exec --spec /wurzel/step/spec.json --run-id r1",
	} {
		if !strings.Contains(args+" ", want) {
			t.Errorf("engine arguments lack %q:\n%s", want, args)
		}
	}
	if strings.Contains(args, "AWS_") {
		t.Errorf("a step that does not use S3 gets no S3 credentials:\n%s", args)
	}
	for _, value := range []string{"env-secret-a", "file-secret-value"} {
		if strings.Contains(args, value) {
			t.Errorf("a secret value is on the engine's command line:\n%s", args)
		}
	}

	// Secrets are staged as files with the pod's modes.
	staged := map[string]string{"env-tok/a": "env-secret-a", "env-tok/b": "env-secret-b", "file-tok/token": "file-secret-value"}
	for rel, want := range staged {
		p := filepath.Join(st.staged, rel)
		data, err := os.ReadFile(p)
		if err != nil || string(data) != want {
			t.Errorf("staged %s: %q, %v", rel, data, err)
		}
		fi, _ := os.Stat(p)
		if r.owner != openToAll && fi.Mode().Perm() != 0o440 {
			t.Errorf("staged %s has mode %v, want 0440", rel, fi.Mode().Perm())
		}
	}
	if !strings.Contains(args, "source="+filepath.Join(st.staged, "env-tok")+",destination=/etc/tok,readonly") {
		t.Errorf("the staged secret is not mounted read-only at its mount_path:\n%s", args)
	}
	stagedDir := st.staged
	st.Finish(false)
	if _, err := os.Stat(stagedDir); !os.IsNotExist(err) {
		t.Errorf("Finish left the staged secrets: %v", err)
	}
}

func TestPrepareRefusesAMissingSecretVariable(t *testing.T) {
	dir := t.TempDir()
	p := testPipeline(dir)
	p.Steps[1].Secrets = []string{"env-tok"}
	p.Steps[1].Volumes = nil
	os.MkdirAll(filepath.Join(dir, "runs/r1/use/work"), 0o755)
	e := &Engine{Kind: Docker, Path: "/usr/bin/docker"}
	r := &Runtime{engine: e, p: p, runner: "/opt/wurzel", images: map[string]*Image{"img:1": {ID: "sha256:abc"}}, owner: ownershipOf(e),
		environ: []string{"TOK_A=env-secret-a"}}
	host := hostLayout{root: dir}
	_, err := r.Prepare(&p.Steps[1], host, host.step("use"), "r1", 1)
	if err == nil || !strings.Contains(err.Error(), "TOK_B") || strings.Contains(err.Error(), "env-secret-a") {
		t.Errorf("want an error naming TOK_B and no value, got %v", err)
	}
}

// TestPrepareRefusesSymlinksInTheStore: a producer's container could leave
// a link in its outputs; mounting it would show the consumer a host path.
func TestPrepareRefusesSymlinksInTheStore(t *testing.T) {
	dir := t.TempDir()
	p := testPipeline(dir)
	s := &p.Steps[1]
	s.Secrets, s.Volumes, s.Inputs = nil, nil, s.Inputs[:1]
	os.MkdirAll(filepath.Join(dir, "runs/r1/use/work"), 0o755)
	os.MkdirAll(filepath.Join(dir, "runs/r1/make"), 0o755)
	if err := os.Symlink("/etc", filepath.Join(dir, "runs/r1/make/outputs")); err != nil {
		t.Fatal(err)
	}
	e := &Engine{Kind: Podman, Path: "/usr/bin/podman"}
	r := &Runtime{engine: e, p: p, runner: "/opt/wurzel", images: map[string]*Image{"img:1": {ID: "sha256:abc"}}, owner: ownershipOf(e)}
	host := hostLayout{root: dir}
	if _, err := r.Prepare(s, host, host.step("use"), "r1", 1); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("want a refused symbolic link, got %v", err)
	}
}

func TestResourceArgs(t *testing.T) {
	tests := []struct {
		kind Kind
		res  ir.Resources
		want []string
	}{
		{Podman, ir.Resources{}, nil},
		{Podman, ir.Resources{CPU: "2", Memory: "512Mi"}, []string{"--cpu-shares", "2048", "--memory", "536870912", "--memory-swap", "536870912"}},
		{Docker, ir.Resources{CPU: "1m"}, []string{"--cpu-shares", "2"}},
		{Podman, ir.Resources{GPU: 2}, []string{"--device", "nvidia.com/gpu=0", "--device", "nvidia.com/gpu=1"}},
		{Docker, ir.Resources{GPU: 2, EphemeralStorage: "10Gi"}, []string{"--gpus", "2"}},
	}
	for _, tt := range tests {
		if got := resourceArgs(tt.kind, tt.res); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("resourceArgs(%s, %+v) = %v, want %v", tt.kind, tt.res, got, tt.want)
		}
	}
}

func TestUserArgs(t *testing.T) {
	sec := backend.DefaultSecurity
	if got := strings.Join(userArgs(Podman, sharedUser, sec), " "); got != "--user 65532:65532 --userns keep-id:uid=65532,gid=65532" {
		t.Errorf("rootless podman: %s", got)
	}
	if got := strings.Join(userArgs(Docker, openToAll, sec), " "); got != "--user 65532:65532" {
		t.Errorf("docker: %s", got)
	}
}

func TestMountArgRefusesCommas(t *testing.T) {
	if _, err := mountArg(Mount{Source: "/a,b", Target: "/x"}); err == nil {
		t.Error("a path with a comma would split the --mount option")
	}
}

func TestFind(t *testing.T) {
	both, dockerOnly, empty := t.TempDir(), t.TempDir(), t.TempDir()
	fake := func(dir, name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/true\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fake(both, "podman")
	fake(both, "docker")
	docker := fake(dockerOnly, "docker")
	remote := fake(empty, "podman-remote")
	env := func(path string) []string { return []string{"PATH=" + path} }

	if e, err := Find("", env(dockerOnly+":"+both)); err != nil || e.Kind != Podman {
		t.Errorf("podman comes first: %+v, %v", e, err)
	}
	if e, err := Find("", env(dockerOnly)); err != nil || e.Kind != Docker || e.Path != docker {
		t.Errorf("docker when there is no podman: %+v, %v", e, err)
	}
	if _, err := Find("", env(empty)); !errors.Is(err, ErrNoEngine) {
		t.Errorf("no engine: %v", err)
	}
	if _, err := Find("podman", env(dockerOnly)); err == nil || !strings.Contains(err.Error(), "not on PATH") {
		t.Errorf("a named engine that is missing: %v", err)
	}
	if e, err := Find(remote, nil); err != nil || e.Kind != Podman || e.Path != remote {
		t.Errorf("a path: %+v, %v", e, err)
	}
	if _, err := Find("nerdctl", env(both)); err == nil {
		t.Error("an unknown engine must be refused")
	}
}

func TestLinuxStatic(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux executables")
	}
	arch, err := linuxStatic(testbin.Wurzel(t))
	if err != nil || arch != runtime.GOARCH {
		t.Errorf("the static wurzel: %q, %v", arch, err)
	}
	if _, err := linuxStatic("/bin/true"); err == nil || !strings.Contains(err.Error(), "dynamically") {
		t.Errorf("a dynamic executable: %v", err)
	}
	text := filepath.Join(t.TempDir(), "script")
	os.WriteFile(text, []byte("#!/bin/sh\n"), 0o755)
	if _, err := linuxStatic(text); err == nil || !strings.Contains(err.Error(), "not a Linux executable") {
		t.Errorf("a script: %v", err)
	}
}

func TestMissingImageError(t *testing.T) {
	err := (&MissingImageError{Ref: "ghcr.io/acme/x:1", Engine: Docker}).Error()
	if !strings.Contains(err, "ghcr.io/acme/x:1") || !strings.Contains(err, "`docker pull ghcr.io/acme/x:1`") {
		t.Errorf("the message must name the image and the pull command: %s", err)
	}
}
