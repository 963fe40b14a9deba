package storehelper

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/objstore"
)

// memStore is an objstore.Store in memory for the protocol's tests.
// Locations under mem://transient/ fail as a throttled server does, under
// mem://denied/ as a refusal does, under mem://block/ wait for their
// context, and under mem://crash/ end the process.
type memStore struct {
	mu      sync.Mutex
	objects map[string][]byte
	blocked chan struct{} // gets a value when a call blocks
	stopped atomic.Bool   // a blocked call has returned
}

func newMemStore() *memStore {
	return &memStore{objects: map[string][]byte{}, blocked: make(chan struct{}, 16)}
}

// fault acts out the behaviour loc asks for, if any.
func (s *memStore) fault(ctx context.Context, loc string) error {
	switch {
	case strings.HasPrefix(loc, "mem://transient/"):
		return &objstore.Transient{Err: errors.New("SlowDown: reduce your request rate")}
	case strings.HasPrefix(loc, "mem://denied/"):
		return errors.New("AccessDenied: no")
	case strings.HasPrefix(loc, "mem://block/"):
		s.blocked <- struct{}{}
		<-ctx.Done()
		s.stopped.Store(true)
		return fmt.Errorf("stopped by its context: %w", ctx.Err())
	case strings.HasPrefix(loc, "mem://crash/"):
		fmt.Fprintln(os.Stderr, "helper crashed on purpose")
		os.Exit(3)
	}
	return nil
}

func (s *memStore) ReadSmall(ctx context.Context, loc string, max int64) ([]byte, error) {
	if err := s.fault(ctx, loc); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ok := s.objects[loc]
	if !ok {
		return nil, fmt.Errorf("%w: NoSuchKey: %s", fs.ErrNotExist, loc)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes", loc, max)
	}
	return data, nil
}

func (s *memStore) WriteSmall(ctx context.Context, loc string, data []byte) error {
	if err := s.fault(ctx, loc); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[loc] = append([]byte(nil), data...)
	return nil
}

func (s *memStore) Remove(ctx context.Context, loc string) error {
	if err := s.fault(ctx, loc); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.objects, loc)
	return nil
}

func (s *memStore) Download(ctx context.Context, loc, rel, dst string, want manifest.File) error {
	if !filepath.IsAbs(dst) {
		return fmt.Errorf("relative destination %q", dst)
	}
	data, err := s.ReadSmall(ctx, loc+"/"+rel, 1<<30)
	if err != nil {
		return err
	}
	if got := sum(string(data)); got != want.SHA256 {
		return fmt.Errorf("%s: sha256 %s, want %s", rel, got, want.SHA256)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

func (s *memStore) Upload(ctx context.Context, loc, root, kind string, rels []string) ([]manifest.File, error) {
	if !filepath.IsAbs(root) {
		return nil, fmt.Errorf("relative root %q", root)
	}
	files := make([]manifest.File, len(rels))
	for i, rel := range rels {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		if err := s.WriteSmall(ctx, loc+"/"+rel, data); err != nil {
			return nil, err
		}
		files[i] = manifest.File{Path: rel, Size: int64(len(data)), SHA256: sum(string(data))}
	}
	return files, nil
}
