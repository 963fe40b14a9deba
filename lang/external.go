package lang

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/wurzel-dev/wurzel/internal/srclimit"
)

// ExternalFile is a file outside the pipeline files that a load depended
// on: a variable file or a file() argument, whose content (or failure to
// be read, which try() and can() turn into a value) went into the
// pipeline, or a watched path, whose existence decided a warning. A caller
// that keeps a Result across loads (package checkcache) may reuse it only
// while Unchanged holds for every one of them.
type ExternalFile struct {
	// Path is absolute.
	Path string
	Kind ExternalKind
	// Digest is the SHA-256 of the content read (ExternalContent).
	Digest [sha256.Size]byte
	// Limit is the size limit the file was read with (ExternalContent,
	// ExternalUnreadable).
	Limit int64
}

// ExternalKind is what a load saw of an external file.
type ExternalKind uint8

// The kinds of ExternalFile.
const (
	// ExternalContent: the load read the file's content.
	ExternalContent ExternalKind = iota + 1
	// ExternalUnreadable: the load could not read the file (missing, not
	// a regular file, too large, no permission).
	ExternalUnreadable
	// ExternalExists: the load saw that the path exists.
	ExternalExists
)

// Unchanged says whether a load would now see f as the load that recorded
// it did: the same content, still unreadable, still there.
func (f ExternalFile) Unchanged() bool {
	switch f.Kind {
	case ExternalContent:
		src, err := srclimit.ReadFile(f.Path, f.Limit)
		return err == nil && sha256.Sum256(src) == f.Digest
	case ExternalUnreadable:
		_, err := srclimit.ReadFile(f.Path, f.Limit)
		return err != nil
	case ExternalExists:
		_, err := os.Stat(f.Path)
		return err == nil
	}
	return false
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

// read records the outcome of reading path with limit: its content src,
// or the error that kept it from being read.
func (x *externalLog) read(path string, limit int64, src []byte, err error) {
	if x == nil {
		return
	}
	f := ExternalFile{Path: path, Kind: ExternalContent, Limit: limit}
	if err != nil {
		f.Kind = ExternalUnreadable
	} else {
		f.Digest = sha256.Sum256(src)
	}
	x.add(f)
}

// exists records that the load saw that path exists.
func (x *externalLog) exists(path string) {
	if x == nil {
		return
	}
	x.add(ExternalFile{Path: path, Kind: ExternalExists})
}

// add records f. Two records of one path can differ only when the file
// changed while the load ran (or when one is an existence check, which
// any other record implies): the load then saw two states, and no later
// load may count on either, so the record becomes one that never holds.
func (x *externalLog) add(f ExternalFile) {
	if abs, err := filepath.Abs(f.Path); err == nil {
		f.Path = abs
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	old, ok := x.files[f.Path]
	switch {
	case !ok || old.Kind == ExternalExists:
		x.files[f.Path] = f
	case f.Kind == ExternalExists || old == f:
	default:
		x.files[f.Path] = ExternalFile{Path: f.Path}
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
