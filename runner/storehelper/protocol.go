package storehelper

import (
	"errors"
	"io/fs"

	"github.com/wurzel-dev/wurzel/runner/manifest"
	"github.com/wurzel-dev/wurzel/runner/objstore"
)

// Version names the protocol; the helper announces it first.
const Version = "wurzel.dev/store/v1"

// Operations: one per method of objstore.Store, and cancel.
const (
	opRead     = "read"
	opWrite    = "write"
	opRemove   = "remove"
	opDownload = "download"
	opUpload   = "upload"
	opCancel   = "cancel"
)

type hello struct {
	Version string `json:"version"`
}

// request is one call of an objstore.Store method; the fields used are the
// method's arguments.
type request struct {
	ID   uint64         `json:"id"`
	Op   string         `json:"op"`
	Loc  string         `json:"loc,omitempty"`
	Max  int64          `json:"max,omitempty"`
	Data []byte         `json:"data,omitempty"`
	Rel  string         `json:"rel,omitempty"`
	Dst  string         `json:"dst,omitempty"`
	Want *manifest.File `json:"want,omitempty"`
	Root string         `json:"root,omitempty"`
	Kind string         `json:"kind,omitempty"`
	Rels []string       `json:"rels,omitempty"`
}

// response answers the request with the same id.
type response struct {
	ID    uint64          `json:"id"`
	Data  []byte          `json:"data,omitempty"`
	Files []manifest.File `json:"files,omitempty"`
	Error *wireError      `json:"error,omitempty"`
}

// wireError carries a store's error across: its message and the two kinds
// the runner tells apart.
type wireError struct {
	Message   string `json:"message"`
	NotExist  bool   `json:"not_exist,omitempty"`
	Transient bool   `json:"transient,omitempty"`
}

func toWire(err error) *wireError {
	if err == nil {
		return nil
	}
	return &wireError{
		Message:   err.Error(),
		NotExist:  errors.Is(err, fs.ErrNotExist),
		Transient: objstore.IsTransient(err),
	}
}

// err is the error the store returned in the helper, as the runner tests
// it: errors.Is(err, fs.ErrNotExist) and objstore.IsTransient hold as they
// did there.
func (w *wireError) err() error {
	var err error = &remoteError{msg: w.Message, notExist: w.NotExist}
	if w.Transient {
		err = &objstore.Transient{Err: err}
	}
	return err
}

type remoteError struct {
	msg      string
	notExist bool
}

func (e *remoteError) Error() string { return e.msg }

func (e *remoteError) Is(target error) bool { return e.notExist && target == fs.ErrNotExist }
