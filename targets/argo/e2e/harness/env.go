package harness

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wurzel-dev/wurzel/internal/gwtest"
	"github.com/wurzel-dev/wurzel/targets/argo/e2e/kubelet"
)

// Environment variables through which `make e2e` tells the harness where
// things are.
const (
	EnvRoot         = "WURZEL_E2E_ROOT"           // the repository
	EnvBin          = "WURZEL_E2E_BIN"            // wurzel and wurzel-fetch (make build)
	EnvRunnerImage  = "WURZEL_E2E_RUNNER_IMAGE"   // the runner image archive (make image)
	EnvArgoexec     = "WURZEL_E2E_ARGOEXEC"       // Argo's executor, built by build.sh
	EnvRuntime      = "WURZEL_E2E_RUNTIME"        // wurzel-e2e-container, built by build.sh
	EnvExecutorName = "quay.io/argoproj/argoexec" // the executor image's repository
)

// ArgoVersion is the Argo Workflows release the harness runs (go.mod).
const ArgoVersion = "v3.7.18"

// Bucket is the artifact repository's bucket.
const Bucket = "argo-artifacts"

// Env is what every case shares: the binaries, the servers and the images.
type Env struct {
	Root, Own   string
	Wurzel      string
	Argoexec    string
	Runtime     string
	Dir         string
	PKI         *PKI
	S3          *gwtest.Server
	Sources     *SourceServer
	Images      *kubelet.Images
	RunnerImage string
	// ExecutorImage is the reference of Argo's executor image the
	// controller is configured with.
	ExecutorImage string
}

// Setup starts what the cases need. The test must run as root on Linux:
// containers are mount namespaces.
func Setup(t testing.TB, argoVersion string) *Env {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("the Argo end-to-end harness runs containers in mount namespaces and needs root (CI is set)")
		}
		t.Skip("the Argo end-to-end harness runs containers in mount namespaces and needs root")
	}
	e := &Env{Root: need(t, EnvRoot), Dir: t.TempDir()}
	e.Own = filepath.Join(e.Root, "targets", "argo", "e2e", "testdata")
	e.Wurzel = filepath.Join(need(t, EnvBin), "wurzel")
	e.Argoexec, e.Runtime = need(t, EnvArgoexec), need(t, EnvRuntime)
	e.PKI = NewPKI(t, e.Dir)
	e.S3 = gwtest.Start(t)
	e.S3.CreateBucket(t, Bucket)
	sources := map[string][]byte{
		"rag-ingest-corpus.tar.gz":  TarGz(t, filepath.Join(e.Root, "examples", "rag-ingest", "corpus")),
		"word-count-text.tar.gz":    TarGz(t, filepath.Join(e.Root, "examples", "word-count", "text")),
		"grid-search-points.tar.gz": TarGz(t, filepath.Join(e.Root, "examples", "grid-search", "points")),
		"small.tar.gz":              TarGz(t, filepath.Join(e.Own, "sources", "small")),
		"argo-dvc-data.txt":         []byte("the source of testdata/valid/argo_dvc.txtar\n"),
	}
	for name, data := range GitRepository(t, filepath.Join(e.Own, "sources", "seeds"), "v1.2") {
		sources["seeds.git/"+name] = data
	}
	e.Sources = StartSources(t, e.PKI, sources)
	e.ExecutorImage = EnvExecutorName + ":" + argoVersion
	e.Images = e.images(t)
	return e
}

func need(t testing.TB, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		t.Fatalf("%s is not set: run the harness with `make e2e`", name)
	}
	return v
}

// preloadedRunnerTags are runner image references that pipelines name
// (argo { runner_image = ... }) for a release: no registry is reachable
// here, so the node has the runner image `make image` built preloaded
// under these tags too, as `kind load` or `podman tag` would put it on a
// test cluster's node.
var preloadedRunnerTags = []string{"ghcr.io/wurzel-dev/wurzel:1.0.0"}

// images are the images the kubelet can pull: the runner image from the
// archive `make image` wrote (under its own reference and the preloaded
// tags), Argo's executor image (the argoexec binary alone), and the host's
// root file system for every other image, except what cannot exist: other
// tags of the runner's repository, and hosts under .invalid.
func (e *Env) images(t testing.TB) *kubelet.Images {
	t.Helper()
	ref, runner, err := kubelet.LoadOCIArchive(need(t, EnvRunnerImage), filepath.Join(e.Dir, "runner-image"))
	if err != nil {
		t.Fatalf("loading the runner image: %v", err)
	}
	e.RunnerImage = ref
	if v := e.wurzelVersion(t); !strings.HasSuffix(ref, ":"+v) {
		t.Fatalf("the runner image %s is not of this wurzel (%s): run make image and make build together (make e2e does)", ref, v)
	}
	exec := filepath.Join(e.Dir, "argoexec-image")
	if err := os.MkdirAll(filepath.Join(exec, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(exec, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(exec, "tmp"), 0o1777); err != nil {
		t.Fatal(err)
	}
	if err := copyFile(e.Argoexec, filepath.Join(exec, "bin", "argoexec"), 0o755); err != nil {
		t.Fatal(err)
	}
	// The step images trust the test CA, as an image built for a cluster
	// trusts its company's.
	bundle, err := os.ReadFile(e.PKI.Bundle)
	if err != nil {
		t.Fatal(err)
	}
	host, err := kubelet.HostImage(e.Dir, []string{"tmp", "var/tmp", "root", "home", "work", "mnt"},
		map[string][]byte{"etc/ssl/certs/ca-certificates.crt": bundle})
	if err != nil {
		t.Fatal(err)
	}
	repo := ref[:strings.LastIndex(ref, ":")]
	refs := map[string]kubelet.Image{ref: runner, e.ExecutorImage: {Lower: exec, User: 8737, Group: 8737}}
	for _, tag := range preloadedRunnerTags {
		refs[tag] = runner
	}
	return &kubelet.Images{
		Refs:    refs,
		Default: &host,
		Unpullable: func(image string) bool {
			host, _, _ := strings.Cut(image, "/")
			return strings.HasPrefix(image, repo+":") || strings.HasSuffix(host, ".invalid")
		},
	}
}

// wurzelVersion is the version bin/wurzel reports.
func (e *Env) wurzelVersion(t testing.TB) string {
	out, err := exec.Command(e.Wurzel, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", e.Wurzel, err)
	}
	fields := strings.Fields(string(out))
	if len(fields) < 2 {
		t.Fatalf("%s version printed %q", e.Wurzel, out)
	}
	return fields[1]
}

func copyFile(src, dst string, mode os.FileMode) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, mode)
}

// StepEnviron is the environment of the steps' runners under wurzel run:
// what a container gets (the same PATH, the test CA among the trusted
// ones), a home of its own, and the case's secret variables.
func (e *Env) StepEnviron(home string, secrets []string) []string {
	return append([]string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"HOME=" + home,
		"SSL_CERT_FILE=" + e.PKI.Bundle,
		// git's HTTPS (libcurl with GnuTLS on Debian) reads its own
		// variable, not SSL_CERT_FILE.
		"GIT_SSL_CAINFO=" + e.PKI.Bundle,
	}, secrets...)
}

// S3Credentials are the artifact repository's access key, secret key and
// region.
func (e *Env) S3Credentials() (access, secret, region string) {
	return gwtest.AccessKey, gwtest.SecretKey, gwtest.Region
}

// command is exec.Command with the test's environment.
func command(name string, args ...string) *exec.Cmd {
	return exec.Command(name, args...)
}
