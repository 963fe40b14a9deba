package paramsfile

import (
	"errors"
	"sync/atomic"
)

// Entry is one top-level key's value. Text is the value's text when it is
// a single value (a scalar); otherwise Text is empty and Shape says what
// the value is instead ("a mapping", "a list", "null").
type Entry struct {
	Text  string
	Shape string
}

// Decoder decodes the top-level mapping of a params file. name is the
// file's name, for its errors.
type Decoder func(name string, data []byte) (map[string]Entry, error)

var decoder atomic.Pointer[Decoder]

// Register makes d the decoder of params files. Decoders register from
// their package's init.
func Register(d Decoder) { decoder.Store(&d) }

// ErrNoDecoder is Lookup's error when no decoder is registered.
var ErrNoDecoder = errors.New("this runner reads no params files " +
	"(wurzel-step leaves YAML out: run the step with `wurzel step exec`; " +
	"a Go program adds it by importing runner/paramsfile/yamlfile)")

// Lookup returns the registered decoder, or ErrNoDecoder: a caller learns
// that it cannot read a params file before it reads one.
func Lookup() (Decoder, error) {
	d := decoder.Load()
	if d == nil {
		return nil, ErrNoDecoder
	}
	return *d, nil
}
