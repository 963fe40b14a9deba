package runner

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/wurzel-dev/wurzel/internal/testtool"
	"github.com/wurzel-dev/wurzel/runner/spec"
)

// sourceSpec is a step that fetches source into input "data" at path and
// lists it.
func sourceSpec(dir, source, path string, schemes ...string) *spec.Step {
	st := newSpec(dir, "ls", "-R", path)
	st.Inputs = []spec.Input{{Name: "data", Path: path, Source: source}}
	st.Sources = spec.SourcePolicy{AllowedSchemes: schemes}
	return st
}

// serve starts a real HTTP server on loopback serving files by path.
func serve(t *testing.T, files map[string][]byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestSourceHTTPWithChecksum(t *testing.T) {
	dir := t.TempDir()
	body := []byte("id,text\n1,hello\n")
	srv := serve(t, map[string][]byte{"/data.csv": body})
	st := sourceSpec(dir, srv.URL+"/data.csv?checksum=sha256:"+sha256Hex(body), "inputs/data.csv", "http")
	wantCode(t, execSpec(t, st), 0)
	if got := readFile(t, filepath.Join(dir, "work", "inputs", "data.csv")); got != string(body) {
		t.Fatalf("downloaded %q", got)
	}
}

func TestSourceChecksumMismatch(t *testing.T) {
	dir := t.TempDir()
	srv := serve(t, map[string][]byte{"/data.csv": []byte("tampered")})
	st := sourceSpec(dir, srv.URL+"/data.csv?checksum=sha256:"+sha256Hex([]byte("original")), "data.csv", "http")
	wantCode(t, execSpec(t, st), CodeInput, "checksum")
}

func TestSourceDisallowedScheme(t *testing.T) {
	dir := t.TempDir()
	srv := serve(t, map[string][]byte{"/x": []byte("x")})
	var hits atomic.Int32
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	wantCode(t, execSpec(t, sourceSpec(dir, srv.URL+"/x", "x", "https", "git")), CodeInput, `scheme "http" is not allowed`)
	if hits.Load() != 0 {
		t.Error("a disallowed source was contacted")
	}
	// A forced getter may not bring in a refused transport.
	wantCode(t, execSpec(t, sourceSpec(dir, "git::file:///tmp/repo", "x", "git")), CodeInput, `"file" is not allowed`)
	// Nor may a local path when file is not allowed (the default policy).
	wantCode(t, execSpec(t, sourceSpec(dir, "./corpus", "x")), CodeInput, `scheme "file" is not allowed`)
}

func TestSourceRedirectToDisallowedHost(t *testing.T) {
	dir := t.TempDir()
	var evilHits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evilHits.Add(1)
		_, _ = w.Write([]byte("evil"))
	}))
	defer evil.Close()
	// Same machine, other host name: localhost is not 127.0.0.1.
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1) + "/payload"
	good := httptest.NewServer(http.RedirectHandler(evilURL, http.StatusFound))
	defer good.Close()

	st := sourceSpec(dir, good.URL+"/data", "data", "http")
	st.Sources.AllowedHosts = []string{"127.0.0.1"}
	wantCode(t, execSpec(t, st), CodeInput, `host "localhost" is not in allowed_hosts`)

	// Without allowed_hosts, redirects must stay on the same host.
	st.Sources.AllowedHosts = nil
	wantCode(t, execSpec(t, st), CodeInput, "another host")
	if evilHits.Load() != 0 {
		t.Errorf("the disallowed host got %d requests", evilHits.Load())
	}
	if exists(filepath.Join(dir, "work", "data")) {
		t.Error("data from a refused redirect was kept")
	}
}

func TestSourceHostNotAllowed(t *testing.T) {
	dir := t.TempDir()
	srv := serve(t, map[string][]byte{"/x": []byte("x")})
	st := sourceSpec(dir, srv.URL+"/x", "x", "http")
	st.Sources.AllowedHosts = []string{"data.example.com"}
	wantCode(t, execSpec(t, st), CodeInput, `host "127.0.0.1" is not in allowed_hosts`)
}

func tarGz(t *testing.T, entries ...*tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, h := range entries {
		body := strings.Repeat("x", int(h.Size))
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write([]byte(body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func file(name string, size int64) *tar.Header {
	return &tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: size}
}

func TestSourceArchive(t *testing.T) {
	dir := t.TempDir()
	srv := serve(t, map[string][]byte{"/corpus.tar.gz": tarGz(t, file("docs/a.md", 3), file("b.md", 5))})
	st := sourceSpec(dir, srv.URL+"/corpus.tar.gz", "corpus", "http")
	wantCode(t, execSpec(t, st), 0)
	if got := readFile(t, filepath.Join(dir, "work", "corpus", "docs", "a.md")); got != "xxx" {
		t.Fatalf("extracted a.md = %q", got)
	}
}

func TestSourceTarPathTraversal(t *testing.T) {
	dir := t.TempDir()
	srv := serve(t, map[string][]byte{"/evil.tar.gz": tarGz(t, file("ok.txt", 1), file("../../escaped.txt", 4))})
	wantCode(t, execSpec(t, sourceSpec(dir, srv.URL+"/evil.tar.gz", "in/x", "http")), CodeInput, "..")
	for _, p := range []string{filepath.Join(dir, "escaped.txt"), filepath.Join(dir, "work", "escaped.txt")} {
		if exists(p) {
			t.Errorf("%s was written by a traversing tar entry", p)
		}
	}
}

func TestSourceZipPathTraversal(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"ok.txt", "../../zipped-out.txt"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("boom"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, map[string][]byte{"/evil.zip": buf.Bytes()})
	wantCode(t, execSpec(t, sourceSpec(dir, srv.URL+"/evil.zip", "in/x", "http")), CodeInput, "..")
	if exists(filepath.Join(dir, "zipped-out.txt")) || exists(filepath.Join(dir, "work", "zipped-out.txt")) {
		t.Error("a traversing zip entry was written")
	}
}

func TestSourceSymlinkEscapeInLocalDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "outside-secret.txt"), "private")
	writeFile(t, filepath.Join(dir, "corpus", "a.md"), "a")
	if err := os.Symlink(filepath.Join(dir, "outside-secret.txt"), filepath.Join(dir, "corpus", "leak.md")); err != nil {
		t.Fatal(err)
	}
	res := execSpec(t, sourceSpec(dir, "./corpus", "corpus", "file"))
	wantCode(t, res, CodeInput, "leak.md", "points outside")

	// A link that stays inside the source is copied as a file.
	if err := os.Remove(filepath.Join(dir, "corpus", "leak.md")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.md", filepath.Join(dir, "corpus", "alias.md")); err != nil {
		t.Fatal(err)
	}
	wantCode(t, execSpec(t, sourceSpec(dir, "./corpus", "corpus", "file")), 0)
	fi, err := os.Lstat(filepath.Join(dir, "work", "corpus", "alias.md"))
	if err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("alias.md should be a copied regular file: %v %v", fi, err)
	}
}

// gitRepo makes a real repository with one commit and returns its path.
func gitRepo(t *testing.T, files map[string]string, links map[string]string) string {
	t.Helper()
	testtool.Need(t, "git", "Debian package git")
	repo := filepath.Join(t.TempDir(), "repo")
	for name, content := range files {
		writeFile(t, filepath.Join(repo, name), content)
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(repo, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"init", "-q", "-b", "main"}, {"add", "-A"},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "data"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return repo
}

func TestSourceGitRepository(t *testing.T) {
	dir := t.TempDir()
	repo := gitRepo(t, map[string]string{"docs/a.md": "# from git\n"}, nil)
	st := sourceSpec(dir, "git::file://"+repo+"?ref=main", "corpus", "git", "file")
	wantCode(t, execSpec(t, st), 0)
	if got := readFile(t, filepath.Join(dir, "work", "corpus", "docs", "a.md")); got != "# from git\n" {
		t.Fatalf("cloned a.md = %q", got)
	}
}

func TestSourceGitSymlinkEscape(t *testing.T) {
	dir := t.TempDir()
	repo := gitRepo(t, map[string]string{"a.md": "a"}, map[string]string{"passwd": "/etc/passwd"})
	st := sourceSpec(dir, "git::file://"+repo, "corpus", "git", "file")
	wantCode(t, execSpec(t, st), CodeInput, "passwd", "points outside")
	if exists(filepath.Join(dir, "work", "corpus")) {
		t.Error("a refused checkout was kept")
	}
}

func TestSourceDecompressionBomb(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	_, _ = gz.Write(make([]byte, 8<<20)) // 8 MiB of zeros, a few KiB compressed
	_ = gz.Close()
	srv := serve(t, map[string][]byte{
		"/bomb.gz":     buf.Bytes(),
		"/bomb.tar.gz": tarGz(t, file("zeros", 8<<20)),
	})
	st := sourceSpec(dir, srv.URL+"/bomb.gz", "data", "http")
	st.Sources.MaxBytes = 1 << 20
	wantCode(t, execSpec(t, st), CodeInput, "larger than max_bytes")
	if fi, err := os.Stat(filepath.Join(dir, "work", "data")); err == nil {
		t.Errorf("a %d-byte truncated bomb was left behind", fi.Size())
	}

	st = sourceSpec(dir, srv.URL+"/bomb.tar.gz", "data", "http")
	st.Sources.MaxBytes = 1 << 20
	wantCode(t, execSpec(t, st), CodeInput, "larger than limit")
}

func TestSourceSizeCap(t *testing.T) {
	dir := t.TempDir()
	srv := serve(t, map[string][]byte{"/big.bin": bytes.Repeat([]byte("a"), 2<<20)})
	st := sourceSpec(dir, srv.URL+"/big.bin", "big.bin", "http")
	st.Sources.MaxBytes = 1 << 20
	wantCode(t, execSpec(t, st), CodeInput, "larger than max_bytes")
	st.Sources.MaxBytes = 2 << 20
	wantCode(t, execSpec(t, st), 0)
}

// stallingServer answers every request with a few bytes of a longer body
// and then stalls until the test ends. started is closed once the first
// bytes are out.
func stallingServer(t *testing.T) (srv *httptest.Server, started <-chan struct{}) {
	t.Helper()
	begun, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000000")
		w.WriteHeader(200)
		_, _ = w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		once.Do(func() { close(begun) })
		<-release
	}))
	// Cleanups run last-in first-out: release the handlers, then close.
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv, begun
}

func TestSourceTimeout(t *testing.T) {
	dir := t.TempDir()
	srv, _ := stallingServer(t)
	st := sourceSpec(dir, srv.URL+"/slow", "slow", "http")
	st.Sources.TimeoutSeconds = 1
	wantCode(t, execSpec(t, st), CodeInput, "timed out")
}

// TestSourceCredentialsRedacted: a failing download must not print the
// user's password or the URL's signature, neither in the error nor in logs.
func TestSourceCredentialsRedacted(t *testing.T) {
	dir := t.TempDir()
	srv := serve(t, nil)
	u := strings.Replace(srv.URL, "http://", "http://alice:hunter2-pass@", 1) +
		"/missing.csv?X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=deadbeefsig0123&token=tok-abc-123"
	res := execSpec(t, sourceSpec(dir, u, "missing.csv", "http"))
	wantCode(t, res, CodeInput, "404")
	for _, leak := range []string{"hunter2-pass", "deadbeefsig0123", "AKIAEXAMPLE", "tok-abc-123"} {
		if strings.Contains(res.err.Error(), leak) || strings.Contains(res.logs, leak) {
			t.Errorf("%q leaked:\nerr: %v\nlogs: %s", leak, res.err, res.logs)
		}
	}
	if !strings.Contains(res.err.Error(), "REDACTED") {
		t.Errorf("error does not show the redacted URL: %v", res.err)
	}
}

// TestSourceCredentialsRedactedInEveryForm: an SSH key in an SCP-like git
// address and tokens an HTTP server reads (GitLab's private_token, auth) stay
// out of the error and the logs, as do their decoded forms.
func TestSourceCredentialsRedactedInEveryForm(t *testing.T) {
	gitRepo(t, map[string]string{"a": "a"}, nil) // skips without git
	key := base64.StdEncoding.EncodeToString([]byte("-----BEGIN OPENSSH PRIVATE KEY----- k3y-m4t3r14l"))
	srv := serve(t, nil)
	for _, tc := range []struct {
		source, scheme string
		leaks          []string
	}{
		{"git@127.0.0.1:org/repo.git?sshkey=" + key, "git", []string{key, "k3y-m4t3r14l"}},
		{"git::git@127.0.0.1:org/repo.git?ref=main&sshkey=" + key, "git", []string{key}},
		{srv.URL + "/x.csv?private_token=glpat-t0ken-123&auth=Basic%20c2VjcmV0LWF1dGg", "http", []string{"glpat-t0ken-123", "c2VjcmV0LWF1dGg"}},
	} {
		dir := t.TempDir()
		res := execSpec(t, sourceSpec(dir, tc.source, "data", tc.scheme), func(o *Options) {
			o.Environ = append(o.Environ, "GIT_SSH_COMMAND=false")
		})
		if res.code != CodeInput && res.code != CodeRetryable {
			t.Errorf("%s: exit %d, want a failed input: %v", tc.source, res.code, res.err)
		}
		for _, leak := range tc.leaks {
			if strings.Contains(res.err.Error(), leak) || strings.Contains(res.logs, leak) {
				t.Errorf("%q leaked:\nerr: %v\nlogs: %s", leak, res.err, res.logs)
			}
		}
		if !strings.Contains(res.err.Error(), "REDACTED") {
			t.Errorf("error does not show the redacted address: %v", res.err)
		}
	}
}

// TestSourceArchiveSpecialMembers: go-getter writes symbolic links, hard
// links, FIFOs and devices in an archive as empty regular files. They are
// refused, naming the member, and nothing is left at the input's path.
func TestSourceArchiveSpecialMembers(t *testing.T) {
	special := map[string]*tar.Header{
		"link.tar.gz":  {Name: "docs/passwd", Typeflag: tar.TypeSymlink, Linkname: "/etc/passwd", Mode: 0o777},
		"hard.tar.gz":  {Name: "docs/shadow", Typeflag: tar.TypeLink, Linkname: "a.md", Mode: 0o644},
		"fifo.tar.gz":  {Name: "docs/pipe", Typeflag: tar.TypeFifo, Mode: 0o644},
		"char.tar.gz":  {Name: "docs/null", Typeflag: tar.TypeChar, Devmajor: 1, Devminor: 3, Mode: 0o666},
		"block.tar.gz": {Name: "docs/sda", Typeflag: tar.TypeBlock, Devmajor: 8, Mode: 0o660},
	}
	link := special["link.tar.gz"]
	files := map[string][]byte{
		"/link.zip":     zipWithSymlink(t, "docs/passwd", "/etc/passwd"),
		"/link.tar":     tarWith(t, nil, link),
		"/link.tar.xz":  tarWith(t, func(w io.Writer) (io.WriteCloser, error) { return xz.NewWriter(w) }, link),
		"/link.tar.zst": tarWith(t, func(w io.Writer) (io.WriteCloser, error) { return zstd.NewWriter(w) }, link),
	}
	for name, h := range special {
		files["/"+name] = tarGz(t, file("docs/a.md", 3), h)
	}
	srv := serve(t, files)
	for path := range files {
		dir := t.TempDir()
		res := execSpec(t, sourceSpec(dir, srv.URL+path, "corpus", "http"))
		wantCode(t, res, CodeInput, "archive member", "only regular files and directories")
		if !strings.Contains(res.err.Error(), "docs/") {
			t.Errorf("%s: the error does not name the member: %v", path, res.err)
		}
		if exists(filepath.Join(dir, "work", "corpus")) {
			t.Errorf("%s: a refused archive was extracted", path)
		}
	}
}

// tarWith is a tar of entries, compressed by compress unless it is nil.
func tarWith(t *testing.T, compress func(io.Writer) (io.WriteCloser, error), entries ...*tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser = nopCloser{&buf}
	if compress != nil {
		var err error
		if w, err = compress(&buf); err != nil {
			t.Fatal(err)
		}
	}
	tw := tar.NewWriter(w)
	for _, h := range entries {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func zipWithSymlink(t *testing.T, name, target string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("docs/a.md")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte("abc"))
	h := &zip.FileHeader{Name: name, Method: zip.Store}
	h.SetMode(fs.ModeSymlink | 0o777)
	if w, err = zw.CreateHeader(h); err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write([]byte(target))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
