package lang

import (
	"crypto/sha256"
	"path/filepath"
	"sort"
	"sync"
)

// ExternalFile is a file outside the pipeline files that a load depended
// on: a variable file or a file read by file(), whose content went into the
// pipeline, or a watched path, whose existence decided a warning. A caller
// that keeps a Result across runs (package checkcache) may reuse it only
// while every one of them is as it was.
type ExternalFile struct {
	// Path is absolute.
	Path string
	// Digest is the SHA-256 of the content the load read; zero when
	// ExistsOnly.
	Digest [sha256.Size]byte
	// ExistsOnly says that the load only saw that the path exists.
	ExistsOnly bool
}

// externalLog records the external files of one load when
// Options.RecordExternal asks for it; a nil log records nothing, so that
// the editor and validate pay nothing for it. Functions may run on more
// than one goroutine, hence the lock.
type externalLog struct {
	mu    sync.Mutex
	files map[string]ExternalFile
}

func newExternalLog(record bool) *externalLog {
	if !record {
		return nil
	}
	return &externalLog{files: map[string]ExternalFile{}}
}

// read records that the load used src, the content of path.
func (x *externalLog) read(path string, src []byte) {
	if x == nil {
		return
	}
	x.add(ExternalFile{Path: path, Digest: sha256.Sum256(src)})
}

// exists records that the load saw that path exists.
func (x *externalLog) exists(path string) {
	if x == nil {
		return
	}
	x.add(ExternalFile{Path: path, ExistsOnly: true})
}

func (x *externalLog) add(f ExternalFile) {
	if abs, err := filepath.Abs(f.Path); err == nil {
		f.Path = abs
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	// A content read says more than an existence check of the same path.
	if old, ok := x.files[f.Path]; !ok || old.ExistsOnly {
		x.files[f.Path] = f
	}
}

// list returns the recorded files sorted by path.
func (x *externalLog) list() []ExternalFile {
	if x == nil {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]ExternalFile, 0, len(x.files))
	for _, f := range x.files {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
