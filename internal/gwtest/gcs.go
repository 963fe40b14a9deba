package gwtest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// GCSServer is a running fake-gcs-server, a Google Cloud Storage emulator
// that the official Go client (and so go-getter's GCS getter) talks to when
// STORAGE_EMULATOR_HOST points at it.
type GCSServer struct {
	// Host is 127.0.0.1:PORT.
	Host string
}

// GCSBinary returns the fake-gcs-server executable, like Binary.
func GCSBinary(t testing.TB) string {
	t.Helper()
	return tool(t, "fake-gcs-server", "github.com/fsouza/fake-gcs-server@v1.56.1")
}

// StartGCS runs fake-gcs-server on a free loopback port until the test
// ends, holding objects, keyed "bucket/object/name", with their contents.
func StartGCS(t testing.TB, objects map[string]string) *GCSServer {
	t.Helper()
	bin := GCSBinary(t)
	data := t.TempDir()
	for key, content := range objects {
		p := filepath.Join(data, filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	port := freePort(t)
	s := &GCSServer{Host: fmt.Sprintf("127.0.0.1:%d", port)}
	// -public-host makes it serve the XML API's /BUCKET/OBJECT downloads,
	// which the Go client uses for reads, on this address.
	serve(t, "http://"+s.Host+"/storage/v1/b", bin,
		"-scheme", "http", "-host", "127.0.0.1", "-port", fmt.Sprint(port), "-public-host", s.Host,
		"-backend", "memory", "-data", data, "-log-level", "warn")
	return s
}

// Environ points the Google Cloud Storage client at the server, without
// credentials.
func (s *GCSServer) Environ() []string {
	return []string{"STORAGE_EMULATOR_HOST=" + s.Host}
}
