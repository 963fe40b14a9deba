package storehelper

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/objstore"
)

// serveEnv makes the test binary a store helper serving memStore.
const serveEnv = "WURZEL_STOREHELPER_TEST_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(serveEnv) == "1" {
		if err := Serve(context.Background(), newMemStore(), os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// newClient is a client of the test binary as its helper.
func newClient(t *testing.T) *Client {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := New([]string{exe}, []string{serveEnv + "=1"})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestRoundTrip(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	if err := c.WriteSmall(ctx, "mem://b/manifest.json", []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if got, err := c.ReadSmall(ctx, "mem://b/manifest.json", 100); err != nil || string(got) != `{"a":1}` {
		t.Fatalf("ReadSmall: %q, %v", got, err)
	}
	if _, err := c.ReadSmall(ctx, "mem://b/manifest.json", 3); err == nil || !strings.Contains(err.Error(), "larger than 3 bytes") {
		t.Errorf("ReadSmall beyond max: %v", err)
	}
	if err := c.Remove(ctx, "mem://b/manifest.json"); err != nil {
		t.Fatal(err)
	}
	_, err := c.ReadSmall(ctx, "mem://b/manifest.json", 100)
	if !errors.Is(err, fs.ErrNotExist) || objstore.IsTransient(err) {
		t.Errorf("ReadSmall after Remove: %v, want a missing object", err)
	}

	root := t.TempDir()
	writeFile(t, filepath.Join(root, "a.txt"), "alpha")
	writeFile(t, filepath.Join(root, "sub", "b.txt"), "beta")
	files, err := c.Upload(ctx, "mem://b/out", root, manifest.KindDir, []string{"a.txt", "sub/b.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[1].Path != "sub/b.txt" || files[1].Size != 4 || files[1].SHA256 != sum("beta") {
		t.Fatalf("Upload answered %+v", files)
	}
	// A relative destination is the caller's, not the helper's.
	t.Chdir(t.TempDir())
	if err := c.Download(ctx, "mem://b/out", "sub/b.txt", "got/b.txt", files[1]); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile("got/b.txt"); string(got) != "beta" {
		t.Errorf("downloaded %q", got)
	}
	wrong := files[1]
	wrong.SHA256 = sum("gamma")
	if err := c.Download(ctx, "mem://b/out", "sub/b.txt", "got/c.txt", wrong); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("Download of a changed file: %v", err)
	}
}

// TestErrorKinds: what the runner tells apart survives the crossing.
func TestErrorKinds(t *testing.T) {
	c := newClient(t)
	err := c.WriteSmall(context.Background(), "mem://transient/x", nil)
	if !objstore.IsTransient(err) || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "SlowDown") {
		t.Errorf("transient failure: %v", err)
	}
	err = c.WriteSmall(context.Background(), "mem://denied/x", nil)
	if err == nil || objstore.IsTransient(err) || errors.Is(err, fs.ErrNotExist) || err.Error() != "AccessDenied: no" {
		t.Errorf("permanent failure: %v", err)
	}
}

// TestCancel: a cancelled call returns once the helper has stopped it, and
// the helper goes on serving.
func TestCancel(t *testing.T) {
	c := newClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.WriteSmall(ctx, "mem://block/x", nil) }()
	// Other calls are not held up by the one in flight.
	if err := c.WriteSmall(context.Background(), "mem://b/y", []byte("y")); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped by its context") {
			t.Errorf("cancelled call: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled call did not return")
	}
	if got, err := c.ReadSmall(context.Background(), "mem://b/y", 10); err != nil || string(got) != "y" {
		t.Errorf("after a cancellation: %q, %v", got, err)
	}
}

func TestConcurrentCalls(t *testing.T) {
	c := newClient(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 32 {
		wg.Go(func() {
			loc := fmt.Sprintf("mem://b/%d", i)
			want := strings.Repeat(fmt.Sprint(i), i+1)
			if err := c.WriteSmall(context.Background(), loc, []byte(want)); err != nil {
				errs <- err
				return
			}
			got, err := c.ReadSmall(context.Background(), loc, 1<<10)
			if err == nil && string(got) != want {
				err = fmt.Errorf("%s: read %q, wrote %q", loc, got, want)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestHelperDies: the calls in flight and every later one say that the
// helper stopped, with its last words, as a failure that running the step
// again may cure.
func TestHelperDies(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	if err := c.WriteSmall(ctx, "mem://b/x", nil); err != nil {
		t.Fatal(err)
	}
	err := c.WriteSmall(ctx, "mem://crash/x", nil)
	if err == nil || !strings.Contains(err.Error(), "stopped answering") || !strings.Contains(err.Error(), "crashed on purpose") {
		t.Fatalf("call that killed the helper: %v", err)
	}
	if !objstore.IsTransient(err) {
		t.Errorf("a dead helper is not a transient failure: %v", err)
	}
	if err2 := c.WriteSmall(ctx, "mem://b/x", nil); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("later call: %v", err2)
	}
	if err := c.Close(); err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("Close of a dead helper: %v", err)
	}
}

// TestNotAHelper: a program that does not speak the protocol (an older
// wurzel-fetch prints its usage and exits) is named with what it said.
func TestNotAHelper(t *testing.T) {
	sh := writeScript(t, "echo 'usage: wurzel-fetch < REQUEST.json' >&2; exit 2")
	c := New([]string{sh, "-store", "s3"}, nil)
	err := c.Remove(context.Background(), "s3://b/x")
	if err == nil || !strings.Contains(err.Error(), "does not serve "+Version) || !strings.Contains(err.Error(), "usage: wurzel-fetch") {
		t.Fatalf("Remove through a program that is no helper: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	missing := New([]string{filepath.Join(t.TempDir(), "wurzel-fetch")}, nil)
	if err := missing.Remove(context.Background(), "s3://b/x"); err == nil || !strings.Contains(err.Error(), "starting the store helper") {
		t.Errorf("Remove through a missing helper: %v", err)
	}
}

// TestClose: a client never used starts nothing; Close ends a helper and
// the calls after it fail.
func TestClose(t *testing.T) {
	if err := New([]string{"/nonexistent"}, nil).Close(); err != nil {
		t.Errorf("Close of a client never used: %v", err)
	}
	c := newClient(t)
	if err := c.WriteSmall(context.Background(), "mem://b/x", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if c.cmd.ProcessState == nil || !c.cmd.ProcessState.Success() {
		t.Errorf("the helper after Close: %v", c.cmd.ProcessState)
	}
	if err := c.WriteSmall(context.Background(), "mem://b/x", nil); err == nil {
		t.Error("a call after Close succeeded")
	}
}

// TestServeEndsWithItsInput: when the runner goes, the requests in flight
// are cancelled and Serve returns once they have stopped.
func TestServeEndsWithItsInput(t *testing.T) {
	store := newMemStore()
	in, w := io.Pipe()
	// Read only once Serve has returned: it waits for its answers.
	var out bytes.Buffer
	served := make(chan error, 1)
	go func() { served <- Serve(context.Background(), store, in, &out) }()
	if _, err := io.WriteString(w, `{"id":7,"op":"write","loc":"mem://block/x"}`+"\n"); err != nil {
		t.Fatal(err)
	}
	<-store.blocked
	w.Close()
	select {
	case err := <-served:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve went on after its input ended")
	}
	if !store.stopped.Load() {
		t.Error("Serve returned before the request in flight stopped")
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 2 || lines[0] != `{"version":"`+Version+`"}` || !strings.Contains(lines[1], `"id":7`) {
		t.Errorf("Serve wrote:\n%s", out.String())
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeScript(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "helper")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
