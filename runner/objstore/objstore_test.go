package objstore

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/wurzel-dev/wurzel/runner/manifest"
)

func TestScheme(t *testing.T) {
	for loc, want := range map[string]string{
		"s3://bucket/key": "s3",
		"gs://b/k":        "gs",
		"out/file.txt":    "",
		"/abs/path":       "",
		"a/b://c":         "",
		"://nothing":      "",
		"C:\\dir\\file":   "",
	} {
		if got := Scheme(loc); got != want {
			t.Errorf("Scheme(%q) = %q, want %q", loc, got, want)
		}
	}
}

type fakeStore struct{ environ []string }

func (fakeStore) ReadSmall(context.Context, string, int64) ([]byte, error) { return nil, nil }
func (fakeStore) WriteSmall(context.Context, string, []byte) error         { return nil }
func (fakeStore) Remove(context.Context, string) error                     { return nil }
func (fakeStore) Download(context.Context, string, string, string, manifest.File) error {
	return nil
}
func (fakeStore) Upload(context.Context, string, string, string, []string) ([]manifest.File, error) {
	return nil, nil
}

func TestRegisterAndOpen(t *testing.T) {
	if _, ok := Open("fake", nil); ok {
		t.Fatal("an unregistered scheme opened")
	}
	Register("fake", func(environ []string) Store { return fakeStore{environ} })
	s, ok := Open("fake", []string{"A=1"})
	if !ok || len(s.(fakeStore).environ) != 1 {
		t.Errorf("Open(fake) = %v, %v; want the registered store with the environment", s, ok)
	}
}

func TestTransient(t *testing.T) {
	base := errors.New("503 Slow Down")
	if !IsTransient(fmt.Errorf("uploading: %w", &Transient{Err: base})) {
		t.Error("a wrapped Transient is not transient")
	}
	if IsTransient(base) || IsTransient(nil) {
		t.Error("a plain error is transient")
	}
	if !errors.Is(&Transient{Err: base}, base) {
		t.Error("Transient does not unwrap")
	}
}
