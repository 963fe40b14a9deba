package harness

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// SourceServer serves archives of directories over HTTPS on 127.0.0.1: the
// remote `source` the examples get in the harness (a local path does not
// exist in a pod).
type SourceServer struct {
	// URL is https://127.0.0.1:PORT.
	URL   string
	files map[string][]byte
}

// StartSources serves files (name -> content) until the test ends.
func StartSources(t testing.TB, pki *PKI, files map[string][]byte) *SourceServer {
	t.Helper()
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pki.Server}})
	if err != nil {
		t.Fatal(err)
	}
	s := &SourceServer{URL: "https://" + l.Addr().(*net.TCPAddr).String(), files: files}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := s.files[r.URL.Path[1:]]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

// TarGz is the directory dir as a gzipped tar archive, entries sorted and
// without times or owners, so the same files give the same bytes.
func TarGz(t testing.TB, dir string) []byte {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			t.Fatal(err)
		}
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
